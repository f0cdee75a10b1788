"""Benchmarks for kkssite: the corpus generator (`from bench.generate import generate`), run.py and compare/."""

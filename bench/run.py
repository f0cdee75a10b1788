"""`make bench`: time kkssite builds of generated sites and print medians (min–max) and peak memory.

For each N (default 1,000, 10,000 and 100,000; `BENCH_N=1000` to choose) the corpus is generated once into
bench/out/ and built as a subprocess `kkssite build --content … --output … --now 2026-11-27T12:00`, repeated
`BENCH_REPEAT` times (default 5 at 1k, 3 at 10k), in four situations:

- cold: empty output and no cache (`--clean` when kkssite has it; the output and any .kkssite-cache are removed);
- no change: the same build again;
- one activity: one body word changed (the next run changes it back, so every run is a one-file edit);
- one template: a comment appended to activity.html in a copy of the theme (the real theme is never touched).

At N ≥ 100,000 a run is long, so by default there is one cold build and two one-activity edits (there and
back) and no other situation; `BENCH_FULL=1` adds two no-change and two one-template builds, and BENCH_REPEAT
still sets every count. After the table comes the cost per activity of the cold build at every N (milliseconds
of wall and CPU time, kB of peak memory) and how it grows from the smallest N, so one sees whether the build
is linear, and the largest peak beside the machine's memory.

Every build uses the theme copy and runs with bench/out/work-N/ as its working folder, so a cache kept relative
to the working folder stays there. Peak memory is the largest resident set of any process of the build (from
`wait4`, like /usr/bin/time) and, sampled from /proc every 50 ms, the summed PSS of the whole process tree (what
parallel workers cost together). Results also go to bench/out/results.json.
"""

from __future__ import annotations

import compileall
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.generate import WORD_RE, ensure

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
NOW = "2026-11-27T12:00"
SCENARIOS = ("cold", "no change", "one activity", "one template")
LARGE = 100_000  # from here on fewer builds by default (see repeats)


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float  # user + system time of the whole process tree
    max_rss_mb: float  # largest single process of the build
    tree_mb: float  # peak summed PSS of the process tree (sampled)


# --- measuring one subprocess ---------------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _memory_kb(pid: int) -> int:
    """PSS of one process (RSS where smaps_rollup is unavailable), in kB; 0 if it is gone."""
    for name, key in (("smaps_rollup", b"Pss:"), ("status", b"VmRSS:")):
        try:
            with open(f"/proc/{pid}/{name}", "rb") as f:
                for line in f:
                    if line.startswith(key):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


def _tree_kb(root: int) -> int:
    kids, todo, total = _children(), [root], 0
    while todo:
        pid = todo.pop()
        total += _memory_kb(pid)
        todo += kids.get(pid, [])
    return total


def measure(cmd: Sequence[str | Path], cwd: Path, log: Path) -> Run:
    """Run cmd to completion; its wall time, largest process RSS and peak process-tree memory. Exit on failure."""
    peak = [0]
    with log.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _tree_kb(proc.pid))
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{log.read_text(errors='replace')[-3000:]}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, peak[0] / 1024)


def stats(values: Sequence[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def fmt(s: dict[str, float], digits: int = 2) -> str:
    return f"{s['median']:.{digits}f} [{s['min']:.{digits}f}–{s['max']:.{digits}f}]"


# --- kkssite --------------------------------------------------------------------------------------------


def kkssite_command() -> list[str]:
    """The kkssite of the running interpreter's venv (the one `make bench` installed), its modules compiled to
    bytecode first: Python does that on its own at the first run, except where PYTHONDONTWRITEBYTECODE is set
    (then every run would compile kkssite's 12,000 lines again, 0.4 s, and the figures would measure that)."""
    compileall.compile_dir(ROOT / "kkssite", quiet=1)
    beside = Path(sys.executable).parent / "kkssite"
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "kkssite"]


def has_clean(kkssite: list[str]) -> bool:
    text = subprocess.run([*kkssite, "build", "--help"], capture_output=True, text=True, check=True).stdout
    return "--clean" in text


def remove_caches(*folders: Path) -> None:
    for folder in folders:
        shutil.rmtree(folder / ".kkssite-cache", ignore_errors=True)


def toggle_word(path: Path, original: bytes) -> None:
    """Change the first body word of an activity (x appended), or put the original back."""
    if path.read_bytes() != original:
        path.write_bytes(original)
        return
    text = original.decode("utf-8")
    start = text.index("\n---\n", 4) + 5
    word = WORD_RE.search(text, start)
    assert word is not None
    path.write_bytes((text[:word.end()] + "x" + text[word.end():]).encode("utf-8"))


def toggle_comment(path: Path, original: bytes) -> None:
    """Append a Jinja comment to a template, or put the original back."""
    path.write_bytes(original if path.read_bytes() != original else original + b"{# bench edit #}\n")


def repeats(n: int) -> dict[str, int]:
    """How many builds of each situation at N (0: skipped): BENCH_REPEAT for all, else by size."""
    if os.environ.get("BENCH_REPEAT"):
        return dict.fromkeys(SCENARIOS, int(os.environ["BENCH_REPEAT"]))
    if n >= LARGE:
        extra = 2 if os.environ.get("BENCH_FULL") == "1" else 0
        return {"cold": 1, "no change": extra, "one activity": 2, "one template": extra}
    return dict.fromkeys(SCENARIOS, 3 if n >= 10_000 else 5)


def bench_n(n: int, counts: dict[str, int], kkssite: list[str]) -> dict[str, dict[str, float]]:
    """The situations at one N, each `counts[situation]` times; {situation: stats of seconds} plus memory."""
    started = time.perf_counter()
    site = ensure(n, OUT / f"site-{n}")
    if time.perf_counter() - started > 1:
        print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)
    work = OUT / f"work-{n}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    theme = work / "theme"
    shutil.copytree(ROOT / "theme", theme)
    output = work / "output"
    clean = has_clean(kkssite)
    base = [*kkssite, "build", "--content", site, "--output", output, "--now", NOW, "--theme", theme]
    log = work / "build.log"
    runs: dict[str, list[Run]] = {s: [] for s in SCENARIOS}

    def cold() -> Run:
        shutil.rmtree(output, ignore_errors=True)
        remove_caches(work, site, site.parent)
        return measure([*base, "--clean"] if clean else base, work, log)

    def edited(path: Path, toggle: Callable[[Path, bytes], None], repeat: int) -> list[Run]:
        original = path.read_bytes()
        result = []
        try:
            for _ in range(repeat):
                toggle(path, original)
                result.append(measure(base, work, log))
        finally:
            if path.read_bytes() != original:
                path.write_bytes(original)
                measure(base, work, log)  # leave the output in step with the content
        return result

    def report(situation: str) -> None:
        if runs[situation]:
            times = ", ".join(f"{r.seconds:.2f}" for r in runs[situation])
            print(f"  {situation}: {times} s", flush=True)

    for _ in range(counts["cold"]):
        runs["cold"].append(cold())
    report("cold")
    if counts["no change"] or counts["one activity"] or counts["one template"]:
        measure(base, work, log)  # a warm-up: the first rebuild after a cold build may still fill a cache
    for _ in range(counts["no change"]):
        runs["no change"].append(measure(base, work, log))
    report("no change")
    activities = sorted((site / "activities").glob("*.md"))
    runs["one activity"] = edited(activities[len(activities) // 2], toggle_word, counts["one activity"])
    report("one activity")
    runs["one template"] = edited(theme / "templates" / "activity.html", toggle_comment, counts["one template"])
    report("one template")

    done = [s for s in SCENARIOS if runs[s]]
    result = {s: stats([r.seconds for r in runs[s]]) for s in done}
    result |= {f"{s} cpu": stats([r.cpu_seconds for r in runs[s]]) for s in done}
    every = [r for rs in runs.values() for r in rs]
    result["peak rss mb"] = stats([r.max_rss_mb for r in every])
    result["peak tree mb"] = stats([r.tree_mb for r in every])
    result["cold peak rss mb"] = stats([r.max_rss_mb for r in runs["cold"]])
    result["cold peak tree mb"] = stats([r.tree_mb for r in runs["cold"]])
    cold_run = result["cold"]["median"], result["cold cpu"]["median"], result["cold peak tree mb"]["median"]
    result["per activity"] = {"wall ms": 1000 * cold_run[0] / n, "cpu ms": 1000 * cold_run[1] / n,
                              "peak tree kb": 1024 * cold_run[2] / n}
    return result


def machine_memory_mb() -> float:
    with open("/proc/meminfo", "rb") as f:
        for line in f:
            if line.startswith(b"MemTotal:"):
                return int(line.split()[1]) / 1024
    return 0.0


def print_growth(sites: dict[int, dict[str, Any]]) -> None:
    """Cost per activity of the cold build at every N, and the exponent k of cost ∝ N^k between successive N
    (1 is linear; below 1, the fixed start-up still weighs; above 1, the build grows faster than the work)."""
    print("\ncold build per activity (median): wall ms, CPU ms, peak tree PSS kB; k: cost ∝ N^k from the N above")
    previous: tuple[int, float, float] | None = None
    for n, r in sorted(sites.items()):
        cost, wall, cpu = r["per activity"], r["cold"]["median"], r["cold cpu"]["median"]
        growth = ""
        if previous is not None:
            n0, wall0, cpu0 = previous
            k_wall, k_cpu = (math.log(now / before) / math.log(n / n0) for now, before in ((wall, wall0), (cpu, cpu0)))
            verdict = "linear or better" if k_cpu <= 1.05 else "worse than linear"
            growth = f"   k = {k_wall:.2f} wall, {k_cpu:.2f} CPU: {verdict}"
        print(f"{n:>7,}  {cost['wall ms']:8.2f} ms wall  {cost['cpu ms']:8.2f} ms CPU  "
              f"{cost['peak tree kb']:8.1f} kB{growth}")
        previous = n, wall, cpu
    total = machine_memory_mb()
    n, r = max(sites.items(), key=lambda item: item[1]["peak tree mb"]["max"])
    print(f"  largest peak: {r['peak tree mb']['max']:.0f} MB (process tree PSS) at N = {n:,}, "
          f"{100 * r['peak tree mb']['max'] / total:.1f} % of this machine's {total / 1024:.1f} GB")


def main() -> int:
    ns = [int(x) for x in os.environ.get("BENCH_N", "1000,10000,100000").replace(" ", "").split(",") if x]
    kkssite = kkssite_command()
    version = subprocess.run([*kkssite, "--version"], capture_output=True, text=True).stdout.strip()
    sites: dict[int, dict[str, Any]] = {}
    results = {"kkssite": version, "python": platform.python_version(), "cores": os.cpu_count(), "now": NOW,
               "clean_flag": has_clean(kkssite), "memory_mb": machine_memory_mb(), "sites": sites}
    for n in ns:
        counts = repeats(n)
        plan = ", ".join(f"{c} {s}" for s, c in counts.items() if c)
        print(f"N = {n:,}: generating if needed, then {plan} …", flush=True)
        load = os.getloadavg()[0]
        if load > 0.5:
            print(f"  note: load average {load:.1f} before starting; other work on the machine skews the times")
        sites[n] = {"repeat": counts, "load_before": load, **bench_n(n, counts, kkssite)}
        (OUT / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    print(f"\n{version}, {os.cpu_count()} cores — seconds, median [min–max]; memory in MB")
    print(f"{'N':>7}" + "".join(f"  {s:>22}" for s in (*SCENARIOS, "peak RSS", "tree PSS")))
    for n, r in sites.items():
        cells = [fmt(r[s], 2 if r[s]["max"] < 100 else 1) if s in r else "—" for s in SCENARIOS]
        cells += [fmt(r["peak rss mb"], 0), fmt(r["peak tree mb"], 0)]
        print(f"{n:>7,}" + "".join(f"  {c:>22}" for c in cells))
    print_growth(sites)
    print(f"\nwritten to {(OUT / 'results.json').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

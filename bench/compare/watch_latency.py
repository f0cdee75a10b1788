"""Watch-mode latency of `hugo server` beside `kkssite serve`'s, for the same one-paragraph edit.

`make bench-compare` runs this after the cold builds. At N = BENCH_N (default 10,000) the full Hugo site
(convert.py's hugo-full) is copied to bench/out/hugo-watch-N/ and `hugo server --disableFastRender
--disableLiveReload` is started on it (127.0.0.1, a free port, rendering to disk, which is Hugo 0.168's default
and what kkssite serve does too). Once it prints "Press Ctrl+C to stop", each round makes the edit
bench/serve_latency.py makes — a sentence added before the first body paragraph of the middle activity, then
taken out again — and times from the write to Hugo's "Total in … ms" line of that rebuild; Hugo's own "Total
in" figure is kept too. After each rebuild the output must stay quiet for a second before the next edit.
--disableFastRender makes Hugo re-render everything the edit touches (its default fast mode re-renders only
pages a browser has visited), as kkssite does. kkssite's figure for the same N comes from
bench/out/serve-latency.json when `make bench` wrote one, or from running bench/serve_latency.py's measure.
BENCH_REPEAT sets the number of edits (default 6). Results go to bench/out/compare-N/watch-latency.json.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench.compare.convert import to_hugo
from bench.compare.run import hugo_binary
from bench.generate import ensure
from bench.run import NOW, OUT, ROOT, fmt, stats
from bench.serve_latency import free_port
from bench.serve_latency import measure as kkssite_latency

READY = "Press Ctrl+C to stop"
TOTAL = re.compile(r"^Total in (\d+(?:\.\d+)?) ?ms")
EDIT = "\n\nÄndrad mening för mätningen.\n\n"  # what bench/serve_latency.py inserts


class Output:
    """The server's output lines, each with the monotonic time it was read, from a reader thread."""

    def __init__(self, process: subprocess.Popen[str], log: Path) -> None:
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.log = log.open("w", encoding="utf-8")
        self.thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self.thread.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.lines.put((time.monotonic(), line.rstrip("\n")))
            self.log.write(line)
            self.log.flush()
        self.lines.put((time.monotonic(), ""))  # end of output

    def wait_for(self, match: re.Pattern[str] | str, seconds: float,
                 process: subprocess.Popen[str]) -> tuple[float, str]:
        """The first line (and when it was read) that matches; exit if the server stops or takes too long."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                at, line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise SystemExit(f"hugo server printed no {match!r} within {seconds:.0f} s "
                                 f"(see {self.log.name})") from None
            if (match.search(line) if isinstance(match, re.Pattern) else match in line):
                return at, line
            if not line and process.poll() is not None:
                raise SystemExit(f"hugo server stopped (exit {process.returncode}); see {self.log.name}")

    def settle(self, quiet: float = 1.0) -> list[str]:
        """Wait until nothing has been printed for `quiet` seconds; the lines printed meanwhile."""
        seen = []
        while True:
            try:
                seen.append(self.lines.get(timeout=quiet)[1])
            except queue.Empty:
                return seen


def stop(process: subprocess.Popen[str]) -> None:
    """Ctrl-C, then SIGTERM, then SIGKILL, each given time to end the server."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            return
        process.send_signal(sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            continue


def peak_rss_mb(pid: int) -> float:
    """The high-water mark of a live process's resident set (VmHWM), in MB; 0 if unknown."""
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def hugo_latency(n: int, count: int) -> dict[str, Any]:
    site = ensure(n, OUT / f"site-{n}")
    source = to_hugo(site, OUT / f"compare-{n}" / "hugo-full", full=True, now=NOW)
    work = OUT / f"hugo-watch-{n}"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(source, work / "site")
    target_stem = sorted((site / "activities").glob("*.md"))[n // 2].stem  # serve_latency.py's activity
    target = work / "site" / "content" / "aktiviteter" / f"{target_stem}.md"
    command = [str(hugo_binary()), "server", "--source", str(work / "site"), "--destination", str(work / "public"),
               "--bind", "127.0.0.1", "--port", str(free_port()), "--disableLiveReload", "--disableFastRender",
               "--noBuildLock"]
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               encoding="utf-8", errors="replace", bufsize=1)
    output = Output(process, work / "server.log")
    seconds: list[float] = []
    reported: list[float] = []
    try:
        ready_at, _ = output.wait_for(READY, 1800, process)
        startup = ready_at - started
        output.settle()
        original = target.read_text(encoding="utf-8")
        edited = original.replace("\n\n", EDIT, 1)
        for index in range(count):
            written = time.monotonic()
            target.write_text(original if index % 2 else edited, encoding="utf-8")
            at, line = output.wait_for(TOTAL, 300, process)
            seconds.append(at - written)
            match = TOTAL.search(line)
            assert match is not None
            reported.append(float(match.group(1)) / 1000)
            extra = [line for line in output.settle() if TOTAL.search(line)]
            if extra:
                print(f"  note: edit {index + 1} caused {len(extra)} more rebuild(s)")
        target.write_text(original, encoding="utf-8")
        memory = peak_rss_mb(process.pid)
    finally:
        stop(process)
    shutil.rmtree(work, ignore_errors=True)
    return {**stats(seconds), "runs": len(seconds), "hugo_total": stats(reported), "startup_seconds": startup,
            "peak_rss_mb": memory}


def kkssite_figure(n: int, count: int) -> tuple[dict[str, float], str]:
    """kkssite serve's save → reload seconds at N: from make bench's results, else measured now."""
    saved = OUT / "serve-latency.json"
    if saved.is_file():
        results = json.loads(saved.read_text(encoding="utf-8"))
        if str(n) in results:
            return results[str(n)], f"from {saved.relative_to(ROOT)}"
    print(f"  {saved.relative_to(ROOT)} has no N = {n:,}: running kkssite serve …", flush=True)
    return kkssite_latency(n, count), "measured now"


def main() -> int:
    n = int(os.environ.get("BENCH_N") or 10_000)
    count = int(os.environ.get("BENCH_REPEAT") or 6)
    print(f"N = {n:,}: hugo server on the full Hugo site, {count} edits …", flush=True)
    if os.getloadavg()[0] > 0.5:
        print(f"  note: load average {os.getloadavg()[0]:.1f}; other work on the machine skews the times")
    hugo = hugo_latency(n, count)
    kkssite, source = kkssite_figure(n, count)
    print(f"\nN = {n:,} — one-paragraph edit of one activity, seconds from the write: median [min–max]")
    print(f"  kkssite serve (to the livereload message) {fmt(kkssite, 3):>24}   over {kkssite['runs']} saves, {source}")
    print(f"  hugo server (to its \"Total in\" line)      {fmt(hugo, 3):>24}   over {hugo['runs']} edits; "
          f"Hugo's own \"Total in\" {fmt(hugo['hugo_total'], 3)}")
    print(f"  hugo server: ready after {hugo['startup_seconds']:.1f} s, peak RSS {hugo['peak_rss_mb']:.0f} MB")
    ratio = kkssite["median"] / hugo["median"]
    print(f"  ratio kkssite/hugo = {ratio:.2f}")
    result = {"n": n, "hugo_server": hugo, "kkssite_serve": kkssite, "kkssite_source": source, "ratio": ratio}
    folder = OUT / f"compare-{n}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "watch-latency.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {(folder / 'watch-latency.json').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

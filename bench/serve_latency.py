"""Edit-to-reload latency of `kkssite serve`: save an activity, time until the livereload `reload` message.

For each N (default 1,000 and 10,000; `BENCH_N` to choose) the generated corpus is copied to a work folder,
`kkssite serve` is started on it (127.0.0.1, a free port), and a websocket client speaks the livereload
protocol as livereload.js does. Each round changes one word in one activity's body and measures the seconds
from the save to the `reload` message, i.e. change detection + incremental rebuild + notification; the next
round changes it back. Prints the median (min–max) and writes bench/out/serve-latency.json.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tornado.websocket import websocket_connect

from bench.generate import ensure

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
NOW = "2026-11-27T12:00"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 900) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("kkssite serve stopped before it served anything")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("kkssite serve did not start in time")


async def rounds(port: int, file: Path, count: int) -> list[float]:
    ws = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    await ws.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
    await ws.read_message()
    await ws.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/"}))
    await asyncio.sleep(0.5)
    original = file.read_text(encoding="utf-8")
    seconds = []
    for index in range(count):
        text = original if index % 2 else original.replace("\n\n", "\n\nÄndrad mening för mätningen.\n\n", 1)
        started = time.monotonic()
        file.write_text(text, encoding="utf-8")
        while True:
            message = json.loads(await asyncio.wait_for(ws.read_message(), timeout=120))
            if message.get("command") == "reload":
                break
        seconds.append(time.monotonic() - started)
        await asyncio.sleep(1.0)  # let the poll settle before the next save
    file.write_text(original, encoding="utf-8")
    ws.close()
    return seconds


def measure(n: int, count: int) -> dict[str, float]:
    site = ensure(n, OUT / f"site-{n}")
    work = OUT / f"serve-{n}"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(site, work / "content")
    port = free_port()
    command = [sys.executable, "-m", "kkssite", "serve", "--port", str(port), "--now", NOW]
    process = subprocess.Popen(command, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", process)
        target = sorted((work / "content" / "activities").glob("*.md"))[n // 2]
        times = asyncio.run(rounds(port, target, count))
    finally:
        process.terminate()
        process.wait(timeout=30)
    shutil.rmtree(work, ignore_errors=True)
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "runs": len(times)}


def main() -> int:
    ns = [int(x) for x in os.environ.get("BENCH_N", "1000,10000").replace(" ", "").split(",") if x]
    count = int(os.environ.get("BENCH_REPEAT") or 6)
    if os.getloadavg()[0] > 0.5:
        print(f"note: load average {os.getloadavg()[0]:.1f}; other work on the machine skews the times")
    results = {n: measure(n, count) for n in ns}
    print("kkssite serve, save → reload message (seconds): median [min–max]")
    for n, r in results.items():
        print(f"{n:>7,}  {r['median']:.3f} [{r['min']:.3f}–{r['max']:.3f}] over {r['runs']} saves")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "serve-latency.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Progress of a long build on the terminal: a bar that redraws in place, or plain lines when not a terminal.

Only builds with many files to parse or pages to render report progress; small rebuilds stay silent.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

#: Stages with fewer items than this are not reported.
THRESHOLD = 500
WIDTH = 30


class Progress:
    """`stage(label, total)` starts a stage; `advance(n)` moves it on; `done()` clears the bar."""

    def __init__(self, stream: TextIO | None = None, tty: bool | None = None, enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.enabled = enabled
        self.label, self.total, self.count, self.drawn = "", 0, 0, 0.0

    def stage(self, label: str, total: int) -> None:
        self.done()
        if not self.enabled:
            return
        self.label, self.total, self.count = label, total, 0
        if total >= THRESHOLD and not self.tty:
            print(f"{label}: {total}", file=self.stream, flush=True)

    def advance(self, n: int = 1) -> None:
        self.count += n
        if self.total < THRESHOLD or not self.tty:
            return
        now = time.monotonic()
        if now - self.drawn >= 0.1 or self.count >= self.total:
            filled = WIDTH * self.count // self.total
            bar = "█" * filled + "░" * (WIDTH - filled)
            print(f"\r{self.label} {bar} {self.count}/{self.total}", end="", file=self.stream, flush=True)
            self.drawn = now

    def done(self) -> None:
        if self.tty and self.total >= THRESHOLD:
            print("\r\033[K", end="", file=self.stream, flush=True)
        self.total = 0

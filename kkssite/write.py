"""Stage 5, write: publish `{path: bytes}` to the output folder atomically.

Everything is written into a temporary sibling folder, which then replaces the output folder in two renames,
so a failed or interrupted build never leaves a half-written site. Paths that would escape the folder are
refused; a file whose bytes did not change is hard-linked from the previous output, so its mtime survives.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


class WriteError(Exception):
    """The output folder cannot be written (unsafe path, permissions, a file where a folder should be)."""


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int
    unchanged: int


def safe_target(base: Path, rel: str) -> Path:
    """base/rel, refusing absolute paths, '..' and anything that resolves outside base."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise WriteError(f"otillåten sökväg i utdata: {rel!r}")
    target = base / pure
    if not target.resolve().is_relative_to(base.resolve()):
        raise WriteError(f"sökvägen {rel!r} hamnar utanför utdatamappen")
    return target


def check_output(output: Path, protected: list[Path]) -> None:
    """Refuse an output folder that is, or contains, the content, the theme or the working directory."""
    out = output.resolve()
    for path in protected:
        if path.resolve() == out or path.resolve().is_relative_to(out):
            raise WriteError(f"utdatamappen {output} skulle skriva över {path}; välj en egen mapp för --output")
    if output.exists() and not output.is_dir():
        raise WriteError(f"{output} finns redan och är ingen mapp")


def publish(files: dict[str, bytes], output: Path) -> WriteStats:
    """Write every file into a fresh folder, then swap it in for `output`."""
    output = output.absolute()
    parent = output.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f".{output.name}.tmp-{os.getpid()}"
    retired = parent / f".{output.name}.old-{os.getpid()}"
    for leftover in (staging, retired):
        if leftover.exists():
            shutil.rmtree(leftover)
    written = unchanged = 0
    try:
        staging.mkdir()
        made: set[Path] = set()
        for rel in sorted(files):
            data = files[rel]
            target = safe_target(staging, rel)
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            previous = output / rel
            if _same_bytes(previous, data):
                os.link(previous, target)
                unchanged += 1
            else:
                target.write_bytes(data)
                written += 1
        if output.exists():
            output.rename(retired)
        staging.rename(output)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not output.exists():
            retired.rename(output)
        raise WriteError(f"kunde inte skriva {output}: {exc.strerror or exc}") from None
    except WriteError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(retired, ignore_errors=True)
    return WriteStats(written, unchanged)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False

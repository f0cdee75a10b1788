"""Stage 5, write: publish output files, atomically when the whole site is new, file by file when it is not.

A full build writes everything into a temporary sibling folder, which then replaces the output folder in two
renames, so an interrupted build never leaves a half-written site. An incremental build (the previous output
is known from the cache's manifest) replaces only the files whose bytes changed, each one atomically through
a temporary file and a rename, then deletes the files the new site no longer has; the result is the same tree.
Either way, a file whose bytes did not change keeps its mtime (for rsync and CDNs), and paths that would escape
the output folder are refused. Content errors are found before this stage, so they never touch the output.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .cache import PageRecord, on_disk


class WriteError(Exception):
    """The output folder cannot be written (unsafe path, permissions, a file where a folder should be)."""


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int
    unchanged: int


def safe_target(base: Path, rel: str) -> Path:
    """base/rel, refusing absolute paths, '..' and empty paths: generated paths stay inside the output.

    The check is on the path itself (it runs for every file of every build); the output folder is one kkssite
    creates, so no link inside it can lead elsewhere."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in rel:
        raise WriteError(f"otillåten sökväg i utdata: {rel!r}")
    return base / pure


def check_output(output: Path, protected: list[Path]) -> None:
    """Refuse an output folder that is, or contains, the content, the theme or the working directory."""
    out = output.resolve()
    for path in protected:
        if path.resolve() == out or path.resolve().is_relative_to(out):
            raise WriteError(f"utdatamappen {output} skulle skriva över {path}; välj en egen mapp för --output")
    if output.exists() and not output.is_dir():
        raise WriteError(f"{output} finns redan och är ingen mapp")


class Output:
    """The output folder being written: `put` files (from any worker process), then `commit` once."""

    def __init__(self, output: Path, incremental: bool, previous: dict[str, PageRecord] | None = None) -> None:
        self.output = output.absolute()
        self.incremental = incremental and self.output.is_dir()
        self.previous = previous or {}
        parent = self.output.parent
        parent.mkdir(parents=True, exist_ok=True)
        self.staging = parent / f".{self.output.name}.tmp-{os.getpid()}"
        self.retired = parent / f".{self.output.name}.old-{os.getpid()}"
        if not self.incremental:
            for leftover in (self.staging, self.retired):
                if leftover.exists():
                    shutil.rmtree(leftover)
            self.staging.mkdir()
        self.root = self.output if self.incremental else self.staging

    def unchanged_on_disk(self, rel: str) -> PageRecord | None:
        """The manifest record of a file that is still on disk exactly as the last build left it."""
        record = self.previous.get(rel)
        if record is None or on_disk(self.output / rel) != (record.size, record.mtime_ns):
            return None
        return record

    def keep(self, rel: str, record: PageRecord) -> None:
        """Carry a file over from the previous output untouched (its mtime survives)."""
        if not self.incremental:
            target = safe_target(self.root, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(self.output / rel, target)

    def put(self, rel: str, data: bytes, key: str) -> tuple[PageRecord, bool]:
        """Write one file unless the same bytes are already there; return its record and whether it was written."""
        digest = hashlib.sha256(data).hexdigest()
        target = safe_target(self.root, rel)
        kept = self.unchanged_on_disk(rel)
        if (kept and kept.digest == digest) or (not kept and _same_bytes(self.output / rel, data)):
            self.keep(rel, PageRecord(key, digest, 0, 0))
            size, mtime = on_disk(target) or (len(data), 0)
            return PageRecord(key, digest, size, mtime), False
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if self.incremental:
                temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
                temporary.write_bytes(data)
                os.replace(temporary, target)
            else:
                target.write_bytes(data)
        except OSError as exc:
            raise WriteError(f"kunde inte skriva {target}: {exc.strerror or exc}") from None
        size, mtime = on_disk(target) or (len(data), 0)
        return PageRecord(key, digest, size, mtime), True

    def commit(self, paths: set[str]) -> None:
        """Make the written files the output: swap folders, or delete what the new site no longer has."""
        try:
            if self.incremental:
                _prune(self.output, set(self.previous) - paths)
                return
            if self.output.exists():
                self.output.rename(self.retired)
            self.staging.rename(self.output)
        except OSError as exc:
            self.abort()
            raise WriteError(f"kunde inte skriva {self.output}: {exc.strerror or exc}") from None
        shutil.rmtree(self.retired, ignore_errors=True)

    def abort(self) -> None:
        """Forget a full build's staging folder; the previous output stays as it was."""
        if not self.incremental:
            shutil.rmtree(self.staging, ignore_errors=True)
            if self.retired.exists() and not self.output.exists():
                self.retired.rename(self.output)


def _prune(output: Path, gone: set[str]) -> None:
    """Delete the files the last build wrote and this one did not, then the folders they leave empty."""
    folders: set[Path] = set()
    for rel in gone:
        target = safe_target(output, rel)
        target.unlink(missing_ok=True)
        folders.update(p for p in target.parents if p != output and p.is_relative_to(output))
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False

"""Stage 5, write: stage every new or changed output file beside the output folder, then publish them together.

Nothing is written into the output folder until the whole site has been rendered: `put` (called from worker
processes) writes into a hidden staging folder beside it, `.<output>.tmp-<pid>`, and `commit` (in the parent)
publishes it all at once; `abort` throws the staging away and leaves the output as the last good build left it.

- A full build (no previous output known) stages a complete tree — files whose bytes did not change are
  hard-linked from the old output, so they keep their mtimes — and swaps it in with two renames: output →
  `.<output>.old-<pid>`, staging → output. If the second rename fails the old output is renamed back.
- An incremental build stages only the files whose bytes changed. `commit` then works from a plan written to a
  journal in `.<output>.bak-<pid>/` first: move aside the files the new site no longer has and remove the folders
  they leave empty; then, for each staged file, make its folders, move the current version aside and rename the
  staged one into place. Every step is a rename (mtimes survive) with an undo that checks what is on disk, so when
  a step fails every step is undone, in reverse, and the output is exactly as before: bytes, files and mtimes.
  The cost is in proportion to what changed: unchanged files are not touched, copied or linked.
- A build that was killed (SIGKILL, power cut) leaves those sibling folders behind; the next `Output` for the same
  folder finds them (their process is gone), undoes a half-done commit from its journal, puts back an output
  that was half-swapped, and removes the rest. They never end up inside the output.

Paths that would escape the output folder are refused. Content errors are found before this stage.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .cache import PageRecord, on_disk
from .i18n import _

#: The kinds of sibling folders a build makes: staging (new and changed files), the retired output of a full
#: build's swap, and the backups and journal of an incremental commit.
STAGING, RETIRED, BACKUP = "tmp", "old", "bak"
JOURNAL = "journal.json"

#: Steps of an incremental commit, each with an undo (see `_do` and `_undo`).
ASIDE, RMDIR, MKDIR, PLACE = "aside", "rmdir", "mkdir", "place"
Step = tuple[str, str]  # (kind, path relative to the output)


class WriteError(Exception):
    """The output folder cannot be written (unsafe path, permissions, a full disk, a file where a folder should be)."""


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
        raise WriteError(_("a path not allowed in the output: {path}", path=repr(rel)))
    return base / pure


def check_output(output: Path, protected: list[Path]) -> None:
    """Refuse an output folder that is, or contains, the content, the theme or the working directory."""
    out = output.resolve()
    for path in protected:
        if path.resolve() == out or path.resolve().is_relative_to(out):
            raise WriteError(_("the output folder {output} would overwrite {path}; choose a folder of its own for "
                               "--output", output=output, path=path))
    if output.exists() and not output.is_dir():
        raise WriteError(_("{output} already exists and is not a folder", output=output))


def sibling(output: Path, kind: str, pid: int) -> Path:
    """The hidden folder beside `output` of one kind (STAGING, RETIRED, BACKUP) for the build process `pid`."""
    return output.parent / f".{output.name}.{kind}-{pid}"


class Output:
    """The output folder being written: `put` files (from any worker process), then `commit` once, or `abort`."""

    def __init__(self, output: Path, incremental: bool, previous: Mapping[str, PageRecord] | None = None) -> None:
        self.output = output.absolute()
        self.previous = previous or {}
        pid = os.getpid()
        self.staging = sibling(self.output, STAGING, pid)
        self.retired = sibling(self.output, RETIRED, pid)
        self.backup = sibling(self.output, BACKUP, pid)
        try:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            recover(self.output)
            self.staging.mkdir()
        except OSError as exc:
            raise WriteError(_("could not write {path}: {reason}", path=exc.filename or self.staging,
                               reason=exc.strerror or exc)) from None
        self.incremental = incremental and self.output.is_dir()
        self.fresh = not self.output.exists()  # nothing published yet: no file to compare with or keep
        self.root = self.staging  # where `put` writes
        self._folders: set[str] = {""}  # the staging's folders this process has made (one mkdir per folder)
        self._retiring: threading.Thread | None = None

    def unchanged_on_disk(self, rel: str) -> PageRecord | None:
        """The manifest record of a file that is still on disk exactly as the last build left it."""
        record = self.previous.get(rel)
        if record is None or on_disk(self.output / rel) != (record.size, record.mtime_ns):
            return None
        return record

    def keep(self, rel: str, record: PageRecord) -> None:
        """Carry a file over from the previous output untouched (its mtime survives).

        An incremental build leaves it where it is; a full build links it into the new tree (or copies it, with
        its mtime, where the file system has no hard links)."""
        if self.incremental:
            return
        target = safe_target(self.staging, rel)
        try:
            self._folder_of(rel, target)
            try:
                os.link(self.output / rel, target)
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP):
                    raise
                shutil.copy2(self.output / rel, target)
        except OSError as exc:
            raise WriteError(_("could not write {path}: {reason}", path=self.output / rel,
                               reason=exc.strerror or exc)) from None

    def put(self, rel: str, data: bytes, key: str) -> tuple[PageRecord, bool]:
        """Stage one file unless the same bytes are already published; return its record and whether it was
        written. The record holds the size and mtime the file will have once published (renames keep both)."""
        digest = hashlib.sha256(data).hexdigest()
        target = safe_target(self.staging, rel)
        current = self.output / rel
        if not self.fresh:
            kept = self.unchanged_on_disk(rel)
            if (kept and kept.digest == digest) or (not kept and _same_bytes(current, data)):
                self.keep(rel, PageRecord(key, digest, 0, 0))
                size, mtime = on_disk(current) or (len(data), 0)
                return PageRecord(key, digest, size, mtime), False
        try:
            self._folder_of(rel, target)
            written = _write(target, data)
        except OSError as exc:
            raise WriteError(_("could not write {path}: {reason}", path=current, reason=exc.strerror or exc)) from None
        size, mtime = (written.st_size, written.st_mtime_ns) if written else on_disk(target) or (len(data), 0)
        return PageRecord(key, digest, size, mtime), True

    def _folder_of(self, rel: str, target: Path) -> None:
        """Make the staged file's folder, once per folder and process (a cold build stages 37,000 files in
        20,000 folders at 10,000 activities)."""
        folder = rel.rpartition("/")[0]
        if folder not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(folder)

    def commit(self, gone: Iterable[str] = (), background: bool = False) -> None:
        """Publish the staged files together and delete `gone`, the previous build's files the new site does not
        have (the caller knows them: none for a patch, which starts from every previous file; a full build's
        swap replaces the whole tree).

        On any failure the output is put back as it was before and WriteError is raised (a KeyboardInterrupt is
        re-raised as it is, after the same roll-back). With `background`, a full build's retired output (37,000
        files at 10,000 activities: 3.6 s) is deleted by a thread while the caller goes on; `settle()` waits
        for it."""
        if self.incremental:
            self._publish(gone)
        else:
            self._swap(background)

    def settle(self) -> None:
        """Wait until the retired output of a full build's commit is deleted."""
        if self._retiring is not None:
            self._retiring.join()
            self._retiring = None

    def abort(self) -> None:
        """Throw away what this build staged; the output stays as the last successful build left it.

        Never raises (it runs while another exception is on its way): whatever it cannot clean up, the next
        build's `recover` will."""
        with contextlib.suppress(OSError):
            if self.retired.exists() and not self.output.exists():  # a full build stopped in the middle of its swap
                _move(self.retired, self.output)
        if not (self.backup / JOURNAL).exists():  # else a commit that could not be undone waits for `recover`
            for folder in (self.staging, self.backup):
                shutil.rmtree(folder, ignore_errors=True)

    # --- full build -------------------------------------------------------------------------------------------

    def _swap(self, background: bool) -> None:
        """staging → output in two renames; on failure the old output is renamed back."""
        try:
            if self.output.exists():
                _move(self.output, self.retired)
            _move(self.staging, self.output)
        except BaseException as exc:
            self.abort()
            if isinstance(exc, OSError):
                raise WriteError(_("could not write {path}: {reason}", path=self.output,
                                   reason=exc.strerror or exc)) from None
            raise
        if background:
            self._retiring = threading.Thread(target=shutil.rmtree, args=(self.retired,),
                                              kwargs={"ignore_errors": True}, name="retired output")
            self._retiring.start()
        else:
            shutil.rmtree(self.retired, ignore_errors=True)

    # --- incremental build ------------------------------------------------------------------------------------

    def _publish(self, gone: Iterable[str]) -> None:
        steps = _plan(self.output, _staged(self.staging), gone)
        if steps:
            current = self.output
            try:
                _write_journal(self.backup, steps)
                for index, (kind, rel) in enumerate(steps):
                    current = self.output / rel
                    _do(self.output, self.staging, self.backup, index, kind, rel)
                current = self.output
                (self.backup / JOURNAL).unlink()  # the commit point: from here on, the new site stands
            except BaseException as exc:
                self._roll_back(steps, exc, current)
                raise
        for folder in (self.backup, self.staging):
            shutil.rmtree(folder, ignore_errors=True)

    def _roll_back(self, steps: list[Step], exc: BaseException, where: Path) -> None:
        """Undo every step (those not done are no-ops), then raise WriteError for an OSError."""
        failed = _undo_all(self.output, self.staging, self.backup, steps)
        reason = (exc.strerror or str(exc)) if isinstance(exc, OSError) else type(exc).__name__
        if failed is not None:
            raise WriteError(_(
                "could not write {path}: {reason}; could not restore {output} either ({failure}). The next build "
                "restores it from {backup}", path=where, reason=reason, output=self.output,
                failure=failed.strerror or failed, backup=self.backup)) from None
        for folder in (self.backup, self.staging):
            shutil.rmtree(folder, ignore_errors=True)
        if isinstance(exc, OSError):
            raise WriteError(_("could not write {path}: {reason}; nothing was published, {output} is as the last "
                               "build left it", path=where, reason=reason, output=self.output)) from None


def _plan(output: Path, staged: list[str], gone: Iterable[str]) -> list[Step]:
    """The steps that publish `staged` (paths in the staging folder) and delete `gone` from `output`.

    First the files that go are moved aside and the folders they leave empty removed (so a file may take the
    place of a folder and the other way round), then each staged file gets its folders, its current version is
    moved aside and it is renamed into place."""
    steps: list[Step] = []
    needed = {parent for rel in staged for parent in PurePosixPath(rel).parents}
    emptied: set[PurePosixPath] = set()
    for rel in sorted(gone):
        safe_target(output, rel)
        steps.append((ASIDE, rel))
        emptied.update(PurePosixPath(rel).parents)
    emptied -= needed | {PurePosixPath(".")}
    steps.extend((RMDIR, folder.as_posix()) for folder in sorted(emptied, key=lambda p: (-len(p.parts), p))
                 if (output / folder).is_dir())
    made: set[PurePosixPath] = set()
    for rel in staged:
        for folder in reversed(PurePosixPath(rel).parents[:-1]):
            if folder not in made and not (output / folder).is_dir():
                steps.append((MKDIR, folder.as_posix()))
                made.add(folder)
        if os.path.lexists(output / rel):
            steps.append((ASIDE, rel))
        steps.append((PLACE, rel))
    return steps


def _do(output: Path, staging: Path, backup: Path, index: int, kind: str, rel: str) -> None:
    """Carry out step `index` of a commit."""
    target = output / rel
    if kind == ASIDE:
        if os.path.lexists(target):
            _move(target, backup / "files" / str(index))
    elif kind == RMDIR:
        if target.is_dir() and not any(target.iterdir()):
            target.rmdir()
    elif kind == MKDIR:
        target.mkdir(exist_ok=True)
    elif kind == PLACE:
        _move(staging / rel, target)


def _undo(output: Path, staging: Path, backup: Path, index: int, kind: str, rel: str) -> None:
    """Undo step `index` of a commit if it was done; do nothing if it was not (so it can run again)."""
    target = output / rel
    if kind == ASIDE:
        saved = backup / "files" / str(index)
        if os.path.lexists(saved):
            target.parent.mkdir(parents=True, exist_ok=True)
            _move(saved, target)
    elif kind == RMDIR:
        target.mkdir(parents=True, exist_ok=True)
    elif kind == MKDIR:
        if target.is_dir() and not any(target.iterdir()):
            target.rmdir()
    elif kind == PLACE:
        staged = staging / rel
        if not os.path.lexists(staged) and os.path.lexists(target):  # done: back to staging it goes
            _move(target, staged)


def _undo_all(output: Path, staging: Path, backup: Path, steps: list[Step]) -> OSError | None:
    """Undo `steps` in reverse order, carrying on past failures; return the first failure, if any."""
    failed: OSError | None = None
    for index in reversed(range(len(steps))):
        try:
            _undo(output, staging, backup, index, *steps[index])
        except OSError as exc:
            failed = failed or exc
    return failed


def recover(output: Path) -> None:
    """Clean up after builds of `output` that were killed: their sibling folders, whose process is gone.

    A commit that has a journal is undone; a full build's retired output is put back if the swap stopped
    half-way (else it goes); staging folders go. Raises OSError (WriteError for an unreadable journal) when
    the output cannot be put back."""
    prefix = f".{output.name}."
    owners: set[int] = set()
    with os.scandir(output.parent) as entries:
        for entry in entries:
            kind, _dash, pid = entry.name.removeprefix(prefix).partition("-")
            if (entry.name.startswith(prefix) and kind in (STAGING, RETIRED, BACKUP) and pid.isdigit()
                    and not _running(int(pid))):
                owners.add(int(pid))
    for owner in sorted(owners):
        staging, retired, backup = (sibling(output, name, owner) for name in (STAGING, RETIRED, BACKUP))
        journal = backup / JOURNAL
        if journal.exists():
            try:
                steps = [(str(kind), str(rel)) for kind, rel in json.loads(journal.read_bytes())]
            except ValueError:
                raise WriteError(_("could not read {journal}; restore {output} by hand", journal=journal,
                                   output=output)) from None
            failed = _undo_all(output, staging, backup, steps)
            if failed is not None:
                raise failed
            journal.unlink()
        if retired.exists() and not output.exists():
            _move(retired, output)
        for folder in (backup, retired, staging):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    """Whether the build process `pid` may still be using its folders (this process's earlier builds are over)."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: someone else's process
        return True
    return True


def _staged(staging: Path) -> list[str]:
    """The files in the staging folder (each a file of the new site that changed), sorted (the walk costs what
    changed)."""
    found: list[str] = []
    for folder, _dirs, files in os.walk(staging):
        base = PurePosixPath(Path(folder).relative_to(staging).as_posix())
        found.extend((base / name).as_posix() for name in files)
    return sorted(found)


def _write_journal(backup: Path, steps: list[Step]) -> None:
    """Write the plan before the first step, atomically: a killed commit can always be undone from it."""
    (backup / "files").mkdir(parents=True)
    partial = backup / f"{JOURNAL}.tmp"
    partial.write_text(json.dumps(steps, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, backup / JOURNAL)


def _move(source: Path, target: Path) -> None:
    """Every rename that changes the output goes through here (tests inject failures)."""
    os.replace(source, target)


def _write(path: Path, data: bytes) -> os.stat_result | None:
    """Write a staged file and return its status (tests inject failures, and may return None)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        return os.fstat(fd)
    finally:
        os.close(fd)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False

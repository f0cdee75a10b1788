"""write: staged, all-or-nothing publishing (full and incremental), roll-back of a failed or killed commit, refused
path escapes, and unchanged files that keep their mtime."""

from __future__ import annotations

import errno
import os
import re
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from kkssite import write
from kkssite.cache import PageRecord, on_disk
from kkssite.write import Output, WriteError, WriteStats, check_output

#: A published tree as the tests compare it: every file's bytes and mtime, every folder (as None).
Snapshot = dict[str, tuple[bytes, int] | None]

FIRST = {"index.html": b"start", "same/index.html": b"same", "changed/index.html": b"old",
         "gone/index.html": b"gone", "gone/deep/page.html": b"deep", "folder": b"a file today",
         "file/index.html": b"a folder today", "kalender.ics": b"BEGIN:VCALENDAR 1"}
SECOND = {"index.html": b"start", "same/index.html": b"same", "changed/index.html": b"new",
          "new/one/index.html": b"fresh", "folder/index.html": b"a folder now", "file": b"a file now",
          "kalender.ics": b"BEGIN:VCALENDAR 2"}


def snapshot(folder: Path) -> Snapshot:
    found: Snapshot = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        found[rel] = (path.read_bytes(), path.stat().st_mtime_ns) if path.is_file() else None
    return found


def files_of(tree: Snapshot) -> dict[str, bytes]:
    return {rel: entry[0] for rel, entry in tree.items() if entry is not None}


def siblings(output: Path) -> list[str]:
    """What lies beside the output folder: staging and backup folders must not stay."""
    return sorted(p.name for p in output.parent.iterdir() if p != output)


def publish(files: dict[str, bytes], output: Path, previous: dict[str, PageRecord] | None = None,
            ) -> tuple[WriteStats, dict[str, PageRecord]]:
    """Write a complete set of files as build.py does: incrementally when the previous manifest is given, else
    staged and swapped. Returns the counts and the new manifest."""
    out = Output(output, incremental=bool(previous), previous=previous)
    records: dict[str, PageRecord] = {}
    written = 0
    try:
        for rel in sorted(files):
            records[rel], wrote = out.put(rel, files[rel], "")
            written += wrote
        out.commit(previous.keys() - files.keys() if previous else ())
    except BaseException:
        out.abort()
        raise
    return WriteStats(written, len(files) - written), records


def failing_move(monkeypatch: pytest.MonkeyPatch, at: int, error: BaseException | None = None,
                 after: bool = False) -> list[int]:
    """Make rename number `at` (and, with `after`, every later one) of the output fail; returns a call counter."""
    calls = [0]
    real = write._move

    def move(source: Path, target: Path) -> None:
        calls[0] += 1
        if calls[0] == at or (after and calls[0] > at):
            raise error or OSError(errno.ENOSPC, "No space left on device", str(target))
        real(source, target)

    monkeypatch.setattr(write, "_move", move)
    return calls


# --- full builds --------------------------------------------------------------------------------------------------


def test_publish_replaces_the_whole_folder(tmp_path: Path) -> None:
    out = tmp_path / "output"
    publish({"index.html": b"1", "a/index.html": b"a"}, out)
    publish({"index.html": b"2"}, out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == ["index.html"]
    assert (out / "index.html").read_bytes() == b"2"
    assert siblings(out) == []  # no staging folders left behind


@pytest.mark.parametrize("incremental", [False, True], ids=["full", "incremental"])
def test_unchanged_files_keep_their_mtime(tmp_path: Path, incremental: bool) -> None:
    out = tmp_path / "output"
    _, first = publish({"same.html": b"x", "changed.html": b"1"}, out)
    old = 1_600_000_000
    os.utime(out / "same.html", (old, old))
    os.utime(out / "changed.html", (old, old))
    previous = {rel: r._replace(mtime_ns=old * 10**9) for rel, r in first.items()}  # the manifest
    stats, records = publish({"same.html": b"x", "changed.html": b"2"}, out, previous if incremental else None)
    assert (stats.written, stats.unchanged) == (1, 1)
    assert (out / "same.html").stat().st_mtime == old
    assert (out / "changed.html").stat().st_mtime != old
    assert {rel: on_disk(out / rel) for rel in records} == {rel: (r.size, r.mtime_ns) for rel, r in records.items()}


def test_without_hard_links_a_full_build_copies_unchanged_files_with_their_mtime(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "output"
    publish(FIRST, out)
    before = snapshot(out)

    def no_links(source: Path, target: Path) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    stats, _ = publish(FIRST, out)
    assert stats == WriteStats(0, len(FIRST)) and snapshot(out) == before


@pytest.mark.parametrize("bad", ["../evil.html", "/etc/passwd", "a/../../b"])
def test_path_escapes_are_refused_and_output_is_kept(tmp_path: Path, bad: str) -> None:
    out = tmp_path / "output"
    publish({"index.html": b"old"}, out)
    with pytest.raises(WriteError):
        publish({"index.html": b"new", bad: b"x"}, out)
    assert (out / "index.html").read_bytes() == b"old"
    assert siblings(out) == []


def test_output_may_not_contain_the_content(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="skulle skriva över"):
        check_output(tmp_path, [tmp_path / "content"])
    check_output(tmp_path / "output", [tmp_path / "content"])


@pytest.mark.parametrize("at", [1, 2], ids=["first-rename", "second-rename"])
def test_a_failed_swap_keeps_the_old_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at: int) -> None:
    out = tmp_path / "output"
    publish(FIRST, out)
    before = snapshot(out)
    failing_move(monkeypatch, at)
    with pytest.raises(WriteError, match=re.escape(f"kunde inte skriva {out}: No space left on device")):
        publish(SECOND, out)
    assert snapshot(out) == before
    assert siblings(out) == []


# --- incremental builds -------------------------------------------------------------------------------------------


def test_an_incremental_build_stages_everything_then_publishes_it_together(tmp_path: Path) -> None:
    out = tmp_path / "output"
    _, previous = publish(FIRST, out)
    before = snapshot(out)
    staged = Output(out, incremental=True, previous=previous)
    records = {rel: staged.put(rel, data, "")[0] for rel, data in sorted(SECOND.items())}
    assert snapshot(out) == before  # nothing published yet…
    assert siblings(out) == [staged.staging.name]  # …it is all beside the output
    assert sorted(files_of(snapshot(staged.staging))) == [
        "changed/index.html", "file", "folder/index.html", "kalender.ics", "new/one/index.html"]  # what changed
    staged.commit(previous.keys() - SECOND.keys())
    after = snapshot(out)
    assert files_of(after) == SECOND
    assert [rel for rel, entry in after.items() if entry is None] == ["changed", "folder", "new", "new/one", "same"]
    assert after["same/index.html"] == before["same/index.html"] and after["index.html"] == before["index.html"]
    assert {rel: on_disk(out / rel) for rel in records} == {rel: (r.size, r.mtime_ns) for rel, r in records.items()}
    assert siblings(out) == []


def test_an_incremental_build_with_nothing_new_touches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "output"
    _, previous = publish(FIRST, out)
    before = snapshot(out)
    stats, _ = publish(FIRST, out, previous)
    assert stats == WriteStats(0, len(FIRST))
    assert snapshot(out) == before and siblings(out) == []


def test_an_incremental_commit_with_nothing_gone_keeps_every_previous_file(tmp_path: Path) -> None:
    """A patch's commit (nothing gone): the staged files are published, and every file of the last build stays."""
    out = tmp_path / "output"
    _, previous = publish(FIRST, out)
    before = snapshot(out)
    staged = Output(out, incremental=True, previous=previous)
    staged.put("changed/index.html", b"new", "")
    staged.put("new/one/index.html", b"fresh", "")
    staged.commit()
    assert files_of(snapshot(out)) == {**files_of(before), "changed/index.html": b"new", "new/one/index.html": b"fresh"}
    assert snapshot(out)["gone/deep/page.html"] == before["gone/deep/page.html"] and siblings(out) == []


def test_a_failed_commit_is_rolled_back_whichever_step_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    failures = 0
    for at in range(1, 100):
        out = tmp_path / str(at) / "output"
        _, previous = publish(FIRST, out)
        before = snapshot(out)
        calls = failing_move(monkeypatch, at)
        try:
            publish(SECOND, out, previous)
        except WriteError as exc:
            assert "No space left on device; inget publicerades" in str(exc)
            assert snapshot(out) == before, f"rename {at} failed"
            assert siblings(out) == []
            failures += 1
        else:
            assert calls[0] < at  # every rename done: published
            assert files_of(snapshot(out)) == SECOND and siblings(out) == []
            break
        finally:
            monkeypatch.undo()
    assert failures == 11  # 4 files moved aside for deletion, 2 for replacement, 5 staged files renamed in


def test_a_keyboard_interrupt_during_commit_rolls_back_and_goes_on(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "output"
    _, previous = publish(FIRST, out)
    before = snapshot(out)
    failing_move(monkeypatch, 6, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        publish(SECOND, out, previous)
    assert snapshot(out) == before and siblings(out) == []


def test_a_write_error_while_staging_publishes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "output"
    _, previous = publish(FIRST, out)
    before = snapshot(out)
    calls = [0]
    real = write._write

    def write_file(path: Path, data: bytes) -> None:
        calls[0] += 1
        if calls[0] == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data)

    monkeypatch.setattr(write, "_write", write_file)
    with pytest.raises(WriteError, match=r"kunde inte skriva .*output/folder/index\.html: No space left on device"):
        publish(SECOND, out, previous)
    assert snapshot(out) == before and siblings(out) == []


@pytest.mark.parametrize("incremental", [False, True], ids=["full", "incremental"])
def test_abort_throws_the_staging_away(tmp_path: Path, incremental: bool) -> None:
    out = tmp_path / "output"
    _, previous = publish(FIRST, out)
    before = snapshot(out)
    staged = Output(out, incremental=incremental, previous=previous)
    for rel, data in sorted(SECOND.items()):
        staged.put(rel, data, "")
    staged.abort()
    assert snapshot(out) == before and siblings(out) == []


# --- builds that were killed, or could not roll back ---------------------------------------------------------------


def run_killed(job: Callable[[], None], kill_at: int | None) -> bool:
    """Run `job` in a child process that dies (os._exit, no clean-up: as SIGKILL) at rename number `kill_at`, or
    just after `job` when None. Returns whether the child died before `job` was done."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            real = write._move
            calls = [0]

            def move(source: Path, target: Path) -> None:
                calls[0] += 1
                if calls[0] == kill_at:
                    os._exit(9)
                real(source, target)

            write._move = move
            job()
            code = 0 if kill_at is None else 3
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    assert code in (0, 3, 9), f"the child failed ({code})"
    return code == 9


@pytest.mark.parametrize("incremental", [False, True], ids=["full", "incremental"])
def test_a_build_killed_while_publishing_is_undone_by_the_next(tmp_path: Path, incremental: bool) -> None:
    killed = 0
    for at in range(1, 100):
        out = tmp_path / str(at) / "output"
        _, previous = publish(FIRST, out)
        before = snapshot(out)
        if not run_killed(lambda out=out, previous=previous: publish(SECOND, out, previous if incremental else None),
                          at):
            assert files_of(snapshot(out)) == SECOND  # it got through
            break
        killed += 1
        assert siblings(out)  # the killed build left its folders beside the output…
        next_build = Output(out, incremental=True, previous=previous)
        assert siblings(out) == [next_build.staging.name]  # …which the next one cleans up first
        assert snapshot(out) == before, f"killed at rename {at}"
        next_build.abort()
        assert siblings(out) == []
    assert killed == (11 if incremental else 2)


def test_a_build_killed_while_staging_leaves_nothing_behind(tmp_path: Path) -> None:
    out = tmp_path / "output"
    _, previous = publish(FIRST, out)
    before = snapshot(out)

    def stage_only() -> None:
        staged = Output(out, incremental=True, previous=previous)
        for rel, data in sorted(SECOND.items()):
            staged.put(rel, data, "")

    run_killed(stage_only, None)
    assert len(siblings(out)) == 1 and snapshot(out) == before
    stats, _ = publish(SECOND, out, previous)
    assert stats.written == 5 and files_of(snapshot(out)) == SECOND and siblings(out) == []


def test_the_folders_of_a_running_build_are_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "output"
    publish(FIRST, out)
    other = tmp_path / f".output.tmp-{os.getppid()}"  # a process that is alive: its build may be running
    other.mkdir()
    (other / "index.html").write_bytes(b"theirs")
    publish(SECOND, out)
    assert (other / "index.html").read_bytes() == b"theirs" and siblings(out) == [other.name]


def test_a_roll_back_that_fails_too_is_finished_by_the_next_build(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "output"
    _, previous = publish(FIRST, out)
    before = snapshot(out)
    failing_move(monkeypatch, 8, after=True)  # the disk is full from the 8th rename on, undoing included
    with pytest.raises(WriteError, match=r"kunde inte heller återställa .* Nästa bygge återställer den från"):
        publish(SECOND, out, previous)
    assert snapshot(out) != before  # half published: the journal and the backups are kept for the next build
    assert [name.split("-")[0] for name in siblings(out)] == [".output.bak", ".output.tmp"]
    monkeypatch.undo()
    publish(FIRST, out, previous)  # the next build puts the output back first, then builds on it
    assert snapshot(out) == before and siblings(out) == []


def test_a_full_commit_in_the_background_deletes_the_old_output_by_settle(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "output"
    publish(FIRST, out)
    gate, deleting = threading.Event(), []
    real = shutil.rmtree

    def held_rmtree(path: Path, ignore_errors: bool = False) -> None:
        deleting.append(Path(path).name)
        gate.wait()  # the deletion waits until the test has looked
        real(path, ignore_errors=ignore_errors)

    monkeypatch.setattr(write.shutil, "rmtree", held_rmtree)
    writer = Output(out, incremental=False)
    for rel, data in SECOND.items():
        writer.put(rel, data, "")
    writer.commit(background=True)
    assert {rel: (out / rel).read_bytes() for rel in SECOND} == SECOND  # published before the old tree is gone
    assert deleting == [writer.retired.name] and writer.retired.name in siblings(out)
    gate.set()
    writer.settle()
    assert siblings(out) == []

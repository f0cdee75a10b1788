"""workers: results in input order, from forked processes, whatever the worker count."""

import functools
import multiprocessing
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kkssite import workers


def square_and_pid(item: int, offset: int) -> tuple[int, int]:
    return item * item + offset, os.getpid()


@pytest.mark.parametrize("count", [1, 2, 3])
def test_fork_map_keeps_order_and_uses_processes(count: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "MIN_PARALLEL", 2)
    done: list[int] = []
    results = workers.fork_map(square_and_pid, list(range(200)), 1, count, done.append)
    assert [value for value, _ in results] == [i * i + 1 for i in range(200)]
    assert sum(done) == 200
    pids = {pid for _, pid in results}
    assert (os.getpid() in pids) == (count == 1)


def test_fork_imap_yields_in_order_and_closing_it_stops_the_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "MIN_PARALLEL", 2)
    results = workers.fork_imap(square_and_pid, list(range(200)), 0, 2)
    assert [next(results)[0] for _ in range(3)] == [0, 1, 4]
    assert multiprocessing.active_children()  # the pool's workers
    results.close()
    assert multiprocessing.active_children() == []


SEEN = {"value": "at the start"}


def waits_then(item: int, _shared: None) -> int:
    time.sleep(600)  # until the child is ended
    return item


def fails_in_a_child(item: int, parent: int) -> int:
    if os.getpid() != parent and item == 3:
        raise RuntimeError("a child that cannot go on")
    return item * 10


def seen_then(item: int, shared: str) -> tuple[int, str, str]:
    return item, shared, SEEN["value"]


def test_fork_start_works_on_what_this_process_held_when_it_began(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "MIN_PARALLEL", 2)
    monkeypatch.setitem(SEEN, "value", "at the start")
    started = workers.fork_start(seen_then, list(range(100)), "shared", 2, tmp_path)
    pids = [child.pid for child in started.children]
    assert len(pids) == 2 and os.getpid() not in pids
    assert [child.path.parent for child in started.children] == [tmp_path, tmp_path]
    SEEN["value"] = "changed after the fork"  # the children have their own copy of this process
    assert list(started) == [(i, "shared", "at the start") for i in range(100)]
    assert [child.pid for child in started.children] == [None, None]  # read to the end: reaped, files gone
    assert list(tmp_path.iterdir()) == []


def test_a_started_map_that_is_closed_unread_ends_its_children(tmp_path: Path) -> None:
    started = workers.fork_start(waits_then, list(range(100)), None, 2, tmp_path, min_parallel=2)
    pids = [child.pid for child in started.children]
    started.close()
    for pid in pids:
        assert pid is not None
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # ended and reaped
    assert list(tmp_path.iterdir()) == []


def test_fork_start_without_a_folder_uses_the_temporary_one() -> None:
    started = workers.fork_start(seen_then, list(range(10)), "shared", 2, min_parallel=2)
    assert [child.path.parent for child in started.children] == [Path(tempfile.gettempdir())] * 2
    assert len(list(started)) == 10


def test_a_started_child_that_fails_has_its_part_worked_here() -> None:
    started = workers.fork_start(fails_in_a_child, list(range(10)), os.getpid(), 2, min_parallel=2)
    assert list(started) == [i * 10 for i in range(10)]


def test_fork_start_below_the_threshold_works_here_when_read() -> None:
    started = workers.fork_start(square_and_pid, [1, 2, 3], 0, 2)
    assert list(started) == [(1, os.getpid()), (4, os.getpid()), (9, os.getpid())]


def test_chunks_cover_everything_once() -> None:
    parts = workers.chunks(1001, 2)
    assert [i for part in parts for i in part] == list(range(1001))
    assert max(len(p) for p in parts) <= 200


def range_pid(part: range, _shared: None) -> tuple[int, int]:
    return sum(part), os.getpid()


def test_chunks_count_as_the_items_they_hold() -> None:
    """The render stage hands out a few ranges of many pages: they are parallel work although they are fewer
    than MIN_PARALLEL items (at 2,000 activities the pages once rendered in this process alone)."""
    parts = workers.chunks(2 * workers.MIN_PARALLEL, 2, per_chunk=workers.MIN_PARALLEL)
    assert len(parts) < workers.MIN_PARALLEL
    results = workers.fork_map(range_pid, parts, None, 2)
    assert sum(total for total, _ in results) == sum(range(2 * workers.MIN_PARALLEL))
    assert os.getpid() not in {pid for _, pid in results}
    few = workers.fork_map(range_pid, [range(3)], None, 2)
    assert few == [(3, os.getpid())]


class Checks:
    """A question for FromBothEnds over BLOCKS blocks: each check is logged as "block pid" (appended, in
    whichever process made it); `bad` blocks answer no. So that both ends are surely used, each side waits for
    the other (on the log, not a clock): this process checks its first block once the child has checked one,
    and the child its second once this process has checked one (by then it has taken the last block)."""

    BLOCKS = 12

    def __init__(self, log: Path, bad: frozenset[int] = frozenset(), die: bool = False) -> None:
        self.log, self.bad, self.die, self.parent = log, bad, die, os.getpid()
        self.items = list(range(self.BLOCKS * workers.FromBothEnds.BLOCK))

    def __call__(self, block: list[int]) -> bool:
        first = block[0] // workers.FromBothEnds.BLOCK
        child = os.getpid() != self.parent
        if child and self.die:
            os._exit(5)
        if not self.die and (first > 0 or not child):
            deadline = time.monotonic() + 60
            while not self.logged_by(other=child) and time.monotonic() < deadline:
                time.sleep(0.01)  # (polling a condition: until the other side has logged a block)
        with self.log.open("a", encoding="utf-8") as f:
            f.write(f"{first} {os.getpid()}\n")
        return first not in self.bad and len(block) == workers.FromBothEnds.BLOCK

    def logged_by(self, other: bool) -> bool:
        """Whether the log has a block checked by this process (`other`: asked in the child), or by the child."""
        text = self.log.read_text(encoding="utf-8") if self.log.exists() else ""
        return any((line.split()[1] == str(self.parent)) == other for line in text.splitlines())

    def checked(self) -> dict[int, set[int]]:
        found: dict[int, set[int]] = {}
        for line in self.log.read_text(encoding="utf-8").splitlines():
            block, pid = map(int, line.split())
            found.setdefault(block, set()).add(pid)
        return found


def test_both_ends_check_every_block_and_meet(tmp_path: Path) -> None:
    checks = Checks(tmp_path / "log")
    both = workers.FromBothEnds(checks, checks.items)
    assert both.answer() is True and both.pid is None  # the child was waited for
    checked = checks.checked()
    assert sorted(checked) == list(range(Checks.BLOCKS))  # every block, none left out
    by = {pid for pids in checked.values() for pid in pids}
    assert len(by) == 2 and checks.parent in by  # from both ends: this process and the child
    assert 0 in checked and checks.parent not in checked[0]  # the child from the first block
    assert checks.parent in checked[Checks.BLOCKS - 1]  # this process from the last


@pytest.mark.parametrize("bad", [0, 11])
def test_a_bad_block_at_either_end_answers_no(tmp_path: Path, bad: int) -> None:
    checks = Checks(tmp_path / "log", bad=frozenset({bad}))
    both = workers.FromBothEnds(checks, checks.items)
    assert both.answer() is False and both.answer() is False and both.pid is None


def test_a_child_that_dies_is_answered_here(tmp_path: Path) -> None:
    checks = Checks(tmp_path / "log", die=True)
    assert workers.FromBothEnds(checks, checks.items).answer() is True
    assert sorted(checks.checked()) == list(range(Checks.BLOCKS))
    assert {pid for pids in checks.checked().values() for pid in pids} == {checks.parent}


def test_without_fork_every_block_is_checked_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    checks = Checks(tmp_path / "log", die=True)  # (die: no waiting for a child)
    both = workers.FromBothEnds(checks, checks.items)
    assert both.pid is None and both.answer() is True
    assert sorted(checks.checked()) == list(range(Checks.BLOCKS))


def waits_in_a_child(parent: int, block: list[int]) -> bool:
    while os.getpid() != parent:
        time.sleep(1)  # ended by cancel()
    return True


def test_a_cancelled_child_is_ended_and_reaped() -> None:
    forked = workers.FromBothEnds(functools.partial(waits_in_a_child, os.getpid()), list(range(1000)))
    pid = forked.pid
    assert pid is not None
    forked.cancel()
    assert forked.pid is None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left


def three_frames(write: Callable[[bytes], None]) -> None:
    for frame in (b"site", b"", b"x" * 100_000):
        write(frame)


def fails_after_one(write: Callable[[bytes], None]) -> None:
    write(b"first")
    raise RuntimeError("a record that cannot be pickled")


def waits(write: Callable[[bytes], None]) -> None:
    write(b"started")
    time.sleep(600)  # until cancelled


def test_ahead_reads_back_the_child_frames_in_order_and_removes_its_file(tmp_path: Path) -> None:
    ahead = workers.Ahead(three_frames, tmp_path / "snapshot-1.tmp")
    assert ahead.pid is not None and ahead.pid != os.getpid()
    frames = ahead.frames()
    assert frames is not None and list(frames) == [b"site", b"", b"x" * 100_000]
    assert list(tmp_path.iterdir()) == []


def test_ahead_has_no_answer_when_the_child_fails(tmp_path: Path) -> None:
    ahead = workers.Ahead(fails_after_one, tmp_path / "snapshot-1.tmp")
    assert ahead.frames() is None and list(tmp_path.iterdir()) == []


def test_a_cancelled_ahead_child_is_ended_and_its_file_removed(tmp_path: Path) -> None:
    path = tmp_path / "snapshot-1.tmp"
    ahead = workers.Ahead(waits, path)
    pid = ahead.pid
    assert pid is not None
    ahead.cancel()
    assert ahead.pid is None and not path.exists()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped


def test_ahead_removes_a_file_left_by_a_process_that_is_gone(tmp_path: Path) -> None:
    gone = os.fork()
    if gone == 0:
        os._exit(0)
    os.waitpid(gone, 0)
    left, alive = tmp_path / f"snapshot-{gone}.tmp", tmp_path / f"snapshot-{os.getppid()}.tmp"
    left.write_bytes(b"half")
    alive.write_bytes(b"another build's")
    workers.Ahead(three_frames, tmp_path / f"snapshot-{os.getpid()}.tmp").cancel()
    assert not left.exists() and alive.exists()

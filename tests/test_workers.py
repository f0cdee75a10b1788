"""workers: results in input order, from forked processes, whatever the worker count."""

import os
import time

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


def in_a_child(parent: int) -> bool:
    return os.getpid() != parent


def dies_in_a_child(parent: int) -> bool:
    if os.getpid() != parent:
        os._exit(5)
    return True


def waits_in_a_child(parent: int) -> bool:
    while os.getpid() != parent:
        time.sleep(1)  # ended by cancel()
    return True


def test_forked_answers_from_a_child_and_asks_here_when_it_cannot() -> None:
    parent = os.getpid()
    assert workers.Forked(in_a_child, parent).answer() is True  # the answer came from another process
    assert workers.Forked(lambda: False).answer() is False
    assert workers.Forked(dies_in_a_child, parent).answer() is True  # the child died: asked in this process


def test_a_cancelled_child_is_ended_and_reaped() -> None:
    forked = workers.Forked(waits_in_a_child, os.getpid())
    pid = forked.pid
    assert pid is not None
    forked.cancel()
    assert forked.pid is None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left

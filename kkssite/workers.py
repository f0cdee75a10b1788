"""Parallel map across cores for the build's per-file and per-page work.

Workers are forked, so they share the parent's read-only data (settings, the site graph, the theme) without
pickling it; only the items and results cross process boundaries. Where fork is unavailable, or the work is
too small to pay for a pool, the map runs in this process. Results come back in input order, so output never
depends on the number of workers.
"""

from __future__ import annotations

import contextlib
import functools
import mmap
import multiprocessing
import os
import pickle
import signal
import struct
import tempfile
from collections.abc import Callable, Generator, Iterator, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Below this many items a pool costs more than it saves.
MIN_PARALLEL = 64

_task: tuple[Callable[[Any, Any], Any], Any] | None = None


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _worker_signals() -> None:
    """A worker leaves Ctrl-C to the parent (which stops the pool) and ends on SIGTERM: a worker that died of
    KeyboardInterrupt would be replaced by the pool and its task never answered, so the build would hang."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run(item: Any) -> Any:
    assert _task is not None
    fn, shared = _task
    return fn(item, shared)


def _forks(workers: int, size: int, min_parallel: int | None) -> bool:
    """Whether a map of `size` items pays for a pool of `workers` (and fork is there)."""
    least = MIN_PARALLEL if min_parallel is None else min_parallel
    return workers > 1 and size >= least and "fork" in multiprocessing.get_all_start_methods()


def fork_map(fn: Callable[[T, Any], R], items: Sequence[T], shared: Any, workers: int,
             progress: Callable[[int], None] | None = None, min_parallel: int | None = None) -> list[R]:
    """[fn(item, shared) for item in items], spread over `workers` forked processes when it pays: from
    `min_parallel` items (MIN_PARALLEL, read at the call; fewer for expensive items, such as a photo to resize),
    where a range counts as the items it holds (the render stage hands out chunks of 200 pages).

    `progress(n)` is called in this process as items complete (n is the item's size: len() of a range)."""
    return list(fork_imap(fn, items, shared, workers, progress, min_parallel))


def fork_imap(fn: Callable[[T, Any], R], items: Sequence[T], shared: Any, workers: int,
              progress: Callable[[int], None] | None = None,
              min_parallel: int | None = None) -> Generator[R, None, None]:
    """fork_map's results one at a time, in input order, as the workers finish them: the caller can take each
    one in hand (store it, let it go) while the workers go on. The pool is stopped when the iterator is
    exhausted or closed (closed early, once the workers have done the items they were given)."""
    global _task
    tick = progress or (lambda n: None)
    size = sum(len(item) if isinstance(item, range) else 1 for item in items)  # a range is a chunk of its items
    if not _forks(workers, size, min_parallel):
        for item in items:
            result = fn(item, shared)
            tick(len(item) if isinstance(item, range) else 1)
            yield result
        return
    _task = (fn, shared)
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_signals) as pool:
            results = pool.imap(_run, items, chunksize=max(1, len(items) // (workers * 8)))
            try:
                for item, result in zip(items, results, strict=True):
                    tick(len(item) if isinstance(item, range) else 1)
                    yield result
            except GeneratorExit:  # closed early: the workers finish what they were given first, for
                # terminating one that is writing a result leaves the pool's queue locked (terminate then hangs)
                for _result in results:
                    pass
                raise
    finally:
        _task = None


def fork_start(fn: Callable[[T, Any], R], items: Sequence[T], shared: Any, workers: int,
               folder: Path | None = None, min_parallel: int | None = None) -> Started[R]:
    """[fn(item, shared) for item in items] begun now by `workers` forked children, while this process goes on
    with other work: they see this process as it is now, and the results wait, in order, until they are read.
    Each child takes every `workers`-th item and writes its results to a file of its own (Ahead) in `folder`
    (the system's temporary folder when None; the build gives its store's, on disk: /tmp may be memory): no pool, so
    nothing is shared that a child stopped half-way could leave locked (multiprocessing.Pool.terminate can hang
    on a result queue a killed worker held). Where fork_imap would not fork, the items are worked here as the
    results are read, and so are those of a child that failed."""
    if not _forks(workers, len(items), min_parallel):
        return Started(fn, items, shared, [])
    where = folder if folder is not None else Path(tempfile.gettempdir())
    children = [Ahead(functools.partial(_work_part, fn, items[k::workers], shared),
                      where / f"kkssite-part{k}-{os.getpid()}.tmp") for k in range(workers)]
    return Started(fn, items, shared, children)


def _work_part(fn: Callable[[Any, Any], Any], part: Sequence[Any], shared: Any,
               write: Callable[[bytes], None]) -> None:
    for item in part:
        write(pickle.dumps(fn(item, shared), pickle.HIGHEST_PROTOCOL))


class Started(Generic[R]):
    """The results of fork_start, in the order of the items, read once; `close()` (also once they have all
    been read) ends the children that are still working and removes their files."""

    def __init__(self, fn: Callable[[Any, Any], R], items: Sequence[Any], shared: Any,
                 children: list[Ahead]) -> None:
        self.fn, self.items, self.shared, self.children = fn, items, shared, children

    def __iter__(self) -> Iterator[R]:
        try:
            if not self.children:
                for item in self.items:
                    yield self.fn(item, self.shared)
                return
            count = len(self.children)
            streams = [self._stream(child, self.items[k::count]) for k, child in enumerate(self.children)]
            for index in range(len(self.items)):
                yield next(streams[index % count])
        finally:
            self.close()

    def _stream(self, child: Ahead, part: Sequence[Any]) -> Iterator[R]:
        frames = child.frames()
        if frames is None:  # the child failed: its part is worked here
            return (self.fn(item, self.shared) for item in part)
        return (pickle.loads(frame) for frame in frames)

    def close(self) -> None:
        for child in self.children:
            child.cancel()


def chunks(count: int, workers: int, per_chunk: int = 200) -> list[range]:
    """Split range(count) into contiguous ranges: enough to balance the workers, few enough to be cheap."""
    size = max(1, min(per_chunk, -(-count // max(1, workers * 4))))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


class FromBothEnds:
    """Whether `ok(block)` holds for every block of `items` (`BLOCK` items each), asked from both ends at once:
    a forked child takes the blocks from the first on while this process does its own work, and `answer()`
    then takes them here from the last one back until the two meet. A no-change build checks 37,000 output
    files this way while it reads the content folder: on two cores, the two halves of the work at once.

    Each side marks in shared memory the block it takes; the child skips a block only when this process has
    taken a lower one (so it checked this one), and this process stops at the first block the child has
    taken. A race costs at most a block checked twice, never one left out. Where fork is unavailable, or
    the child could not answer, every block is checked here. `cancel()` ends a child whose answer is no
    longer needed."""

    BLOCK = 256

    def __init__(self, ok: Callable[[Sequence[Any]], bool], items: Sequence[Any]) -> None:
        self.ok, self.items = ok, items
        self.blocks = -(-len(items) // self.BLOCK)
        self.known: bool | None = None
        self.pid: int | None = None
        self.marks = mmap.mmap(-1, 16)  # shared: the blocks the child has taken, the lowest block taken here
        struct.pack_into("qq", self.marks, 0, 0, self.blocks)
        if self.blocks > 1 and "fork" in multiprocessing.get_all_start_methods():
            pid = os.fork()
            if pid == 0:  # the child: answer in its exit status, and nothing else (no cleanup of the parent's)
                code = 2
                try:
                    _worker_signals()
                    code = 0 if self._from_the_first() else 1
                finally:
                    os._exit(code)
            self.pid = pid

    def _block(self, k: int) -> Sequence[Any]:
        return self.items[k * self.BLOCK:(k + 1) * self.BLOCK]

    def _from_the_first(self) -> bool:
        for k in range(self.blocks):
            struct.pack_into("q", self.marks, 0, k + 1)
            if k > struct.unpack_from("q", self.marks, 8)[0]:
                return True  # this block and the rest were checked by the parent
            if not self.ok(self._block(k)):
                return False
        return True

    def answer(self) -> bool:
        """The answer (waited for once; asked again, it is remembered)."""
        if self.known is not None:
            return self.known
        for k in range(self.blocks - 1, -1, -1):
            if self.pid is not None:
                struct.pack_into("q", self.marks, 8, k)
                if k < struct.unpack_from("q", self.marks, 0)[0]:
                    break  # the child took it, and every block before it
            if not self.ok(self._block(k)):
                self.cancel()
                self.known = False
                return False
        if self.pid is not None:
            _pid, status = os.waitpid(self.pid, 0)
            self.pid = None
            code = os.waitstatus_to_exitcode(status)
            if code not in (0, 1):  # the child died: ask its part here
                struct.pack_into("q", self.marks, 8, self.blocks)
                code = 0 if all(self.ok(self._block(k)) for k in range(self.blocks)) else 1
            self.known = code == 0
        else:
            self.known = True
        return self.known

    def cancel(self) -> None:
        _end(self.pid)
        self.pid = None


def _end(pid: int | None) -> None:
    """Kill a forked child whose answer is no longer wanted, and reap it (no zombie is left)."""
    if pid is not None:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


class Ahead:
    """`produce(write)` run in a forked child while this process goes on: each `write(frame)` (bytes) goes to
    `path`, and `frames()` reads them back here, in order, one at a time, once the child is done. A full build
    pickles its snapshot for the build store this way while it plans and renders, not after, and pickling in the
    child also leaves this process's strings as they were (CPython keeps a string's UTF-8 bytes beside it once
    pickled: 73 MB of a 10,000-activity site's texts).

    `frames()` is None when there is no answer: no fork here, or the child failed or was killed; the caller then
    makes them itself. `cancel()` ends a child whose frames are no longer wanted; the file never outlives
    `frames()` or `cancel()` (one left by a build that was killed is removed by the next `Ahead` on its folder)."""

    def __init__(self, produce: Callable[[Callable[[bytes], None]], None], path: Path) -> None:
        self.path = path
        self.pid: int | None = None
        _remove_stale(path)
        if "fork" not in multiprocessing.get_all_start_methods():
            return
        pid = os.fork()
        if pid == 0:  # the child: its frames in the file, its answer in its exit status
            code = 1
            try:
                _worker_signals()
                with path.open("wb") as file:
                    def write(frame: bytes) -> None:
                        file.write(struct.pack("<Q", len(frame)))
                        file.write(frame)
                    produce(write)
                code = 0
            finally:
                os._exit(code)
        self.pid = pid

    def frames(self) -> Generator[bytes, None, None] | None:
        if self.pid is None:
            return None
        _pid, status = os.waitpid(self.pid, 0)
        self.pid = None
        if os.waitstatus_to_exitcode(status) != 0:
            self.path.unlink(missing_ok=True)
            return None
        return self._read()

    def _read(self) -> Generator[bytes, None, None]:
        try:
            with self.path.open("rb") as file:
                while head := file.read(8):
                    yield file.read(struct.unpack("<Q", head)[0])
        finally:
            self.path.unlink(missing_ok=True)

    def cancel(self) -> None:
        _end(self.pid)
        self.pid = None
        self.path.unlink(missing_ok=True)


def _remove_stale(path: Path) -> None:
    """Files `<stem>-<pid><suffix>` beside `path` whose process is gone (a build killed before it read them)."""
    stem, _, _pid = path.stem.rpartition("-")
    for other in path.parent.glob(f"{stem}-*{path.suffix}"):
        owner = other.stem.rpartition("-")[2]
        if owner.isdigit() and int(owner) != os.getpid():
            try:
                os.kill(int(owner), 0)
            except ProcessLookupError:
                other.unlink(missing_ok=True)
            except PermissionError:
                pass

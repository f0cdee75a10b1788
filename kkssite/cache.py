"""The build store: what the last build made, so the next one redoes only what changed. One SQLite file per
content and output folder (`BuildCache`), or the same in memory for the live preview (`MemoryCache`).

It holds four things, all of one *generation* — the kkssite code, the cache schema, the Python version and
the bytes of site.yml and vocabularies.yml (any difference starts a new generation, and nothing of an old one
is trusted):
- typed content files, keyed by path and (mtime, size, inode) signature: an unchanged file is not read again;
- the manifest: per output file, its key (keys.py: a digest of what it shows) and the digest, size and mtime
  it was written with, so an output is skipped only when both its key and the file on disk are as left (in rows,
  and again in the last build's record, a file beside the database: what the next build reads first);
- fragments: pieces shared by many outputs (an activity's serialized events), by their key;
- the snapshot of the last good build (snapshot.py): its site graph, one row per record (its fields and the
  output files that show it), every record's digest and the records it depends on (one value), and what the
  next build needs to patch it.
A database that cannot be read is deleted and rebuilt, never trusted; `--clean` ignores the manifest.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import pickle
import sqlite3
import stat
import sys
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TypeAlias

from . import __version__

SCHEMA = 4
#: The values of the meta table that hold the last good build's snapshot, and with them the one that names the
#: last build's record (its file beside the database).
_SNAPSHOT = ("snapshot", "site", "digests")
_LAST_BUILD = ("last_build", *_SNAPSHOT)
#: Fragments beyond this many per activity are pruned (the ones this build did not use).
FRAGMENTS_PER_ACTIVITY = 4
_PACKAGE = Path(__file__).resolve().parent


@functools.cache
def code_digest() -> str:
    """A digest of kkssite's own source and its catalogues (the texts of every message and page): a new version
    of either never trusts an old cache."""
    digest = hashlib.sha256(f"{__version__}:{SCHEMA}:{sys.version}".encode())
    for file in sorted([*_PACKAGE.rglob("*.py"), *_PACKAGE.rglob("*.po")]):
        digest.update(file.relative_to(_PACKAGE).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def stat_signature(file: str | Path) -> str:
    st = os.stat(file)
    return f"{st.st_mtime_ns}:{st.st_size}:{st.st_ino}"


class PageRecord(NamedTuple):
    """What the manifest knows about one output file (a tuple: a patched build reads 40,000 of them, and a
    frozen dataclass takes twice as long to make)."""

    key: str  # digest of everything the file was made from
    digest: str  # sha256 of its bytes
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class Planned:
    """How the build made an output file: its route, the route's parameters (views.Output.params), and the ids
    of the records it shows (keys.Digester)."""

    route: str
    params: tuple[tuple[str, str], ...]
    deps: frozenset[str]


def _plan_row(plan: Planned | None) -> tuple[str, str, str]:
    if plan is None:
        return "", "", ""
    return plan.route, json.dumps([list(p) for p in plan.params], ensure_ascii=False), "\n".join(sorted(plan.deps))


def _plan_of(route: str, params: str, deps: str) -> Planned:
    return Planned(route, tuple((k, v) for k, v in json.loads(params or "[]")),
                   frozenset(deps.split("\n")) if deps else frozenset())


class LastBuild(NamedTuple):
    """What the last build read (`inputs`), what it reported, and the size and time of every file it left;
    `lines`: each file's key and digest, a line each in the same order (see `Manifest`); `signature`: that of
    the file it was read from, which the store names (see `BuildCache._store_last`)."""

    inputs: str
    result: Any
    files: list[tuple[str, int, int]]
    lines: bytes = b""
    signature: str = ""

    def intact(self, output: Path) -> bool:
        """Whether every file the build left is in `output` as it left it."""
        return files_as_left(output, self.files)


class Manifest(Mapping[str, PageRecord]):
    """The page manifest as the last build left it, made from its record (`LastBuild.files` and `lines`, its
    files' keys and digests): a patched build looks up a few of its 37,000 records and carries the rest over, so
    a record is made when first asked for (reading the manifest's rows into records took 0.17 s at 10,000
    activities). Records set on it are held over the ones read; the
    store writes them back as lines (`files`, `lines`) without making the others."""

    __slots__ = ("_files", "_index", "_lines", "_set")

    def __init__(self, files: list[tuple[str, int, int]], lines: list[str],
                 index: dict[str, int] | None = None, overlay: dict[str, PageRecord] | None = None) -> None:
        self._files = files
        self._lines = lines
        self._index = {path: i for i, (path, _size, _mtime) in enumerate(files)} if index is None else index
        self._set = {} if overlay is None else overlay

    @classmethod
    def read(cls, last: LastBuild) -> Manifest | None:
        """The manifest of `last` (None where its lines are not one per file)."""
        lines = last.lines.decode().split("\n") if last.lines else []
        return cls(last.files, lines) if len(lines) == len(last.files) else None

    def __getitem__(self, path: str) -> PageRecord:
        found = self._set.get(path)
        if found is not None:
            return found
        i = self._index[path]
        key, digest = self._lines[i].split(" ")
        _path, size, mtime = self._files[i]
        return PageRecord(key, digest, size, mtime)

    def __contains__(self, path: object) -> bool:
        return path in self._set or path in self._index

    def __iter__(self) -> Iterator[str]:
        yield from self._index
        yield from (path for path in self._set if path not in self._index)

    def __len__(self) -> int:
        return len(self._index) + sum(1 for path in self._set if path not in self._index)

    def __setitem__(self, path: str, record: PageRecord) -> None:
        self._set[path] = record

    def copy(self) -> Manifest:
        """The same manifest, to set records on without changing this one."""
        return Manifest(self._files, self._lines, self._index, dict(self._set))

    def files(self) -> list[tuple[str, int, int]]:
        """(path, size, mtime_ns) of every file, in order."""
        files = list(self._files)
        for path, record in self._set.items():
            entry = (path, record.size, record.mtime_ns)
            if path in self._index:
                files[self._index[path]] = entry
            else:
                files.append(entry)
        return files

    def lines(self) -> list[str]:
        """"key digest" of every file, in the order of `files`."""
        lines = list(self._lines)
        for path, record in self._set.items():
            if path in self._index:
                lines[self._index[path]] = f"{record.key} {record.digest}"
            else:
                lines.append(f"{record.key} {record.digest}")
        return lines

    def sizes(self) -> Iterator[tuple[str, int]]:
        """(path, size) of every file."""
        for path, size, _mtime in self._files:
            record = self._set.get(path)
            yield path, size if record is None else record.size
        yield from ((path, r.size) for path, r in self._set.items() if path not in self._index)


#: Either form of a manifest (a dict: the live preview's, and one read from the rows).
Records: TypeAlias = dict[str, PageRecord] | Manifest


def sizes(records: Records) -> Iterable[tuple[str, int]]:
    """(path, size) of every file of a manifest."""
    return records.sizes() if isinstance(records, Manifest) else ((p, r.size) for p, r in records.items())


def _last_build(file: Path, signature: object) -> LastBuild | None:
    """The last build's record from its file, if that is the file the store names (by `signature`)."""
    if not signature or not isinstance(signature, str):
        return None
    try:
        with file.open("rb") as handle:
            st = os.fstat(handle.fileno())
            if f"{st.st_mtime_ns}:{st.st_size}:{st.st_ino}" != signature:
                return None  # (left by a build that did not get to its commit, or one the store forgot)
            data = handle.read()
        size = int.from_bytes(data[:8], "big")
        inputs, result, files = pickle.loads(data[8:8 + size])
        return LastBuild(inputs, result, files, data[8 + size:], signature)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
        return None


class BuildCache:
    """Typed documents and the page manifest of one content folder and one output folder."""

    def __init__(self, folder: Path, content: Path, output: Path, generation: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = self.file_of(folder, content, output)
        self.generation = generation
        self.fresh = False
        try:
            self._open()
        except (sqlite3.DatabaseError, pickle.UnpicklingError, EOFError):
            self._reset()

    @staticmethod
    def file_of(folder: Path, content: Path, output: Path) -> Path:
        name = hashlib.sha256(f"{content.resolve()}\n{output.resolve()}".encode()).hexdigest()[:16]
        return folder / f"{name}.sqlite"

    @classmethod
    def peek_last_build(cls, folder: Path, content: Path, output: Path) -> LastBuild | None:
        """The last build's record (see `last_build`), read before a build opens the store for itself: the build
        checks its files while it reads the content folder."""
        path = cls.file_of(folder, content, output)
        if not path.is_file():
            return None
        try:
            db = sqlite3.connect(path, isolation_level=None)
            try:
                row = db.execute("SELECT value FROM meta WHERE key = 'last_build'").fetchone()
            finally:
                db.close()
        except sqlite3.DatabaseError:
            return None
        return _last_build(path.with_suffix(".last"), row[0]) if row else None

    def _named_last(self) -> object:
        """The signature of the last build's record as the store names it (None for none)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'last_build'").fetchone()
        return row[0] if row else None

    def _open(self) -> None:
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
            "CREATE TABLE IF NOT EXISTS docs (path TEXT PRIMARY KEY, signature TEXT, payload BLOB);"
            "CREATE TABLE IF NOT EXISTS pages (path TEXT PRIMARY KEY, key TEXT, digest TEXT, size INT, mtime INT,"
            " route TEXT, params TEXT, deps TEXT);"
            "CREATE TABLE IF NOT EXISTS fragments (key TEXT PRIMARY KEY, data BLOB);"
            "CREATE TABLE IF NOT EXISTS record_rows (id TEXT PRIMARY KEY, shown TEXT, payload BLOB);"
        )
        row = self.db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        if row is None or row[0] != self.generation:
            self.db.executescript("DELETE FROM docs; DELETE FROM pages; DELETE FROM fragments; DELETE FROM record_rows;"
                                  "DROP TABLE IF EXISTS records;"  # (schema 3's, which held the digests too)
                                  f"DELETE FROM meta WHERE key IN {_LAST_BUILD!r};")
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (self.generation,))
            self.fresh = True

    def _reset(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        self.path.with_suffix(".last").unlink(missing_ok=True)
        self._open()

    # --- typed documents ---------------------------------------------------------------------------------

    def documents(self, wanted: dict[str, str]) -> dict[str, Any]:
        """Cached documents for {path: signature}, where the signature still matches."""
        found: dict[str, Any] = {}
        try:
            for batch in _batches(wanted):
                marks = ",".join("?" * len(batch))
                for path, signature, payload in self.db.execute(
                        f"SELECT path, signature, payload FROM docs WHERE path IN ({marks})", batch):
                    if wanted.get(path) == signature:
                        found[path] = pickle.loads(payload)
        except (sqlite3.DatabaseError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            self._reset()
            return {}
        return found

    def store_documents(self, entries: Iterable[tuple[str, str, Any, bytes | None]], keep: set[str] | None) -> None:
        """Save (path, signature, document, its pickle or None) entries and forget documents whose files are gone
        (those not in `keep`; None when no file is gone)."""
        rows = ((path, signature, payload if payload is not None else pickle.dumps(doc, pickle.HIGHEST_PROTOCOL))
                for path, signature, doc, payload in entries)
        with self._transaction():  # the rows are pickled one at a time as SQLite takes them
            self.db.executemany("INSERT OR REPLACE INTO docs VALUES (?, ?, ?)", rows)
            if keep is not None:
                gone = [(p,) for (p,) in self.db.execute("SELECT path FROM docs") if p not in keep]
                self.db.executemany("DELETE FROM docs WHERE path = ?", gone)

    # --- fragments ---------------------------------------------------------------------------------------

    def fragments(self, keys: Iterable[str]) -> dict[str, bytes]:
        """The stored fragments of these keys (those it has)."""
        wanted = sorted(set(keys))
        found: dict[str, bytes] = {}
        try:
            for start in range(0, len(wanted), 500):
                batch = wanted[start:start + 500]
                marks = ",".join("?" * len(batch))
                found.update(self.db.execute(f"SELECT key, data FROM fragments WHERE key IN ({marks})", batch))
        except sqlite3.DatabaseError:
            self._reset()
            return {}
        return found

    def store_fragments(self, made: dict[str, bytes], used: set[str], activities: int, prune: bool = True) -> None:
        """Save new fragments; when there are more than FRAGMENTS_PER_ACTIVITY per activity, forget the ones
        this build did not use (a build that used them all: not a patch, which uses those it re-planned)."""
        with self._transaction():
            self.db.executemany("INSERT OR IGNORE INTO fragments VALUES (?, ?)", sorted(made.items()))
            (count,) = self.db.execute("SELECT COUNT(*) FROM fragments").fetchone()
            if prune and count > FRAGMENTS_PER_ACTIVITY * max(activities, 1):
                stale = [(k,) for (k,) in self.db.execute("SELECT key FROM fragments") if k not in used]
                self.db.executemany("DELETE FROM fragments WHERE key = ?", stale)

    # --- page manifest -----------------------------------------------------------------------------------

    def manifest(self, last: LastBuild | None = None) -> Records:
        """The page manifest; from `last` (the last build's record, see `peek_last_build`) while the store still
        names it (a `Manifest`), else from its rows."""
        try:
            if last is not None and last.signature == self._named_last():
                lazy = Manifest.read(last)
                if lazy is not None:
                    return lazy
            return {path: PageRecord(key, digest, size, mtime)
                    for path, key, digest, size, mtime in self.db.execute(
                        "SELECT path, key, digest, size, mtime FROM pages")}
        except sqlite3.DatabaseError:
            self._reset()
            return {}

    def intact(self, manifest: Records, output: Path) -> bool:
        """Whether every file of the manifest is in the output as the last build left it."""
        return verify(manifest, output)

    def planned(self, paths: Iterable[str]) -> dict[str, Planned]:
        """How the last build made these output files (those it made)."""
        found: dict[str, Planned] = {}
        for batch in _batches(paths):
            marks = ",".join("?" * len(batch))
            for path, route, params, deps in self.db.execute(
                    f"SELECT path, route, params, deps FROM pages WHERE path IN ({marks})", batch):
                if route:
                    found[path] = _plan_of(route, params, deps)
        return found

    def store_manifest(self, records: Records, plans: dict[str, Planned] | None = None,
                       last: tuple[str, Any] | None = None) -> None:
        """Save the page manifest (with how each file was made) and, with it, what the build that wrote it read
        and reported (`last`)."""
        plans = plans or {}
        rows = sorted((p, r.key, r.digest, r.size, r.mtime_ns, *_plan_row(plans.get(p))) for p, r in records.items())
        with self._store_last(last, records):
            self.db.execute("DELETE FROM pages")
            self.db.executemany("INSERT INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def forget_manifest(self) -> None:
        with self._transaction():
            self.db.execute("DELETE FROM pages")
            self.db.execute(f"DELETE FROM meta WHERE key IN {_LAST_BUILD!r}")

    def last_build(self, inputs: str, output: Path) -> Any:
        """The result of the last build if it read exactly `inputs` and every file it wrote is still as it
        left it; else None."""
        try:
            last = _last_build(self.path.with_suffix(".last"), self._named_last())
        except sqlite3.DatabaseError:
            return None
        return last.result if last is not None and last.inputs == inputs and last.intact(output) else None

    @contextlib.contextmanager
    def _store_last(self, last: tuple[str, Any] | None, records: Records) -> Iterator[None]:
        """A transaction that saves, with what the block writes, what the build read and reported and the size,
        time, key and digest of every file it left (`LastBuild`): the next build with the same inputs checks
        the files without reading 40,000 rows, and a patched build takes its manifest from it (`Manifest`).

        The record is a file beside the database (`<name>.last`: as a value of the database, reading and writing
        its 7 MB took 0.05 s of each patched build at 10,000 activities), staged before the transaction and put
        in place after its commit. The transaction names it by its stat signature (renaming keeps it): a record
        the store does not name (staged by a build that failed, or of a manifest since forgotten) is not read."""
        staged = self.path.with_name(f"{self.path.stem}.last.tmp-{os.getpid()}")
        try:
            signature = None
            if last:
                if isinstance(records, Manifest):
                    files, lines = records.files(), records.lines()
                else:
                    files = [(path, r.size, r.mtime_ns) for path, r in records.items()]
                    lines = [f"{r.key} {r.digest}" for r in records.values()]
                payload = pickle.dumps((*last, files), pickle.HIGHEST_PROTOCOL)
                staged.write_bytes(len(payload).to_bytes(8, "big") + payload + "\n".join(lines).encode())
                signature = stat_signature(staged)
            with self._transaction():
                yield
                if signature is None:
                    self.db.execute("DELETE FROM meta WHERE key = 'last_build'")
                else:
                    self.db.execute("INSERT OR REPLACE INTO meta VALUES ('last_build', ?)", (signature,))
            if signature is not None:
                os.replace(staged, self.path.with_suffix(".last"))
        finally:
            staged.unlink(missing_ok=True)

    def update_manifest(self, changed: dict[str, PageRecord], everything: Records,
                        plans: dict[str, Planned], last: tuple[str, Any] | None = None) -> None:
        """Save the records of the files a patched build planned again (it makes or removes no others);
        `everything`: the records of all the files the output now holds (the changed ones among them)."""
        with self._store_last(last, everything):
            self.db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                sorted((p, r.key, r.digest, r.size, r.mtime_ns, *_plan_row(plans.get(p)))
                                       for p, r in changed.items()))

    # --- the snapshot of the last good build -------------------------------------------------------------

    def snapshot(self) -> Any:
        """The last good build's snapshot (snapshot.Snapshot, its records read when first used), or None."""
        from .snapshot import LazyRecords, Snapshot, record_classes, sqlite_rows

        try:
            rows = dict(self.db.execute(f"SELECT key, value FROM meta WHERE key IN {_SNAPSHOT!r}"))
            if not rows.keys() >= set(_SNAPSHOT):
                return None
            records = LazyRecords(sqlite_rows(self.path), record_classes())
            state = pickle.loads(rows["snapshot"])
            site = records.load(rows["site"])
            digests = pickle.loads(rows["digests"])
        except (sqlite3.DatabaseError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError,
                KeyError):
            return None
        snapshot: Snapshot = state
        snapshot.site = site
        snapshot.digests = digests
        return snapshot

    def shown_in(self, ids: Iterable[str]) -> dict[str, set[str]]:
        """Record id → the output files that show it (of the records the store has)."""
        found: dict[str, set[str]] = {}
        for batch in _batches(ids):
            marks = ",".join("?" * len(batch))
            for rid, shown in self.db.execute(f"SELECT id, shown FROM record_rows WHERE id IN ({marks})", batch):
                found[rid] = set(shown.split("\n")) if shown else set()
        return found

    def store_snapshot(self, snapshot: Any, records: Iterable[Any], shown: dict[str, set[str]],
                       full: bool, ahead: Generator[bytes, None, None] | None = None) -> None:
        """Save a build's snapshot: the whole of it after a full build (`full`), else its state and the rows of
        the records the patch changed (`records`, with `shown`: the files that show each). `ahead`: the frames
        of snapshot.write_rows for these records, pickled by a child process (workers.Ahead); whatever they
        lack, or gives another record than expected, is pickled here."""
        from .model import record_id
        from .snapshot import dumps_record, dumps_site

        frames = ahead
        site_row = next(frames, None) if frames is not None else None

        def rows() -> Iterator[tuple[str, str, bytes]]:  # one at a time: 10,000 rows are 150 MB
            nonlocal frames
            for record in records:
                rid = record_id(record)
                payload = None
                if frames is not None:
                    name, payload = next(frames, None), next(frames, None)
                    if name != rid.encode():
                        frames, payload = None, None  # out of step with these records: the rest are made here
                yield rid, "\n".join(sorted(shown.get(rid, ()))), dumps_record(record) if payload is None else payload

        site, snapshot.site = snapshot.site, None
        digests, snapshot.digests = snapshot.digests, {}
        try:
            state = pickle.dumps(snapshot, pickle.HIGHEST_PROTOCOL)
        finally:
            snapshot.site, snapshot.digests = site, digests
        try:
            with self._transaction():
                if full:
                    self.db.execute("DELETE FROM record_rows")
                    self.db.execute("INSERT OR REPLACE INTO meta VALUES ('site', ?)",
                                    (site_row if site_row is not None else dumps_site(site),))
                self.db.executemany("INSERT OR REPLACE INTO record_rows VALUES (?, ?, ?)", rows())
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('snapshot', ?)", (state,))
                # every record's digest and links in one value, what a patch reads of all of them (from the rows,
                # beside the records' pickles, that took 0.05-0.16 s at 10,000 activities; this 0.02 s)
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('digests', ?)",
                                (pickle.dumps(digests, pickle.HIGHEST_PROTOCOL),))
        finally:
            if ahead is not None:
                ahead.close()  # (its file goes with it)

    def forget_snapshot(self) -> None:
        with self._transaction():
            self.db.execute(f"DELETE FROM meta WHERE key IN {_SNAPSHOT!r}")

    def _transaction(self) -> sqlite3.Connection:
        self.db.execute("BEGIN")
        return _Commit(self.db)  # type: ignore[return-value]

    def close(self) -> None:
        self.db.close()


def _batches(keys: Iterable[str], size: int = 500) -> Iterator[list[str]]:
    wanted = sorted(set(keys))
    for start in range(0, len(wanted), size):
        yield wanted[start:start + size]


class _Commit:
    """`with cache._transaction():` commits on success and rolls back on error."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        return self.db

    def __exit__(self, kind: object, *_: object) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")


def verify(manifest: Records, output: Path) -> bool:
    """Whether every file of a manifest is on disk with the size and mtime it was written with."""
    if isinstance(manifest, Manifest):
        return files_as_left(output, manifest.files())
    return files_as_left(output, [(rel, r.size, r.mtime_ns) for rel, r in manifest.items()])


def files_as_left(output: Path, files: Sequence[tuple[str, int, int]]) -> bool:
    """Whether every (path, size, mtime_ns) is a file below `output` as it was written; False for none."""
    # One stat per file and no Path objects (40,000 files are common), relative to the open folder where the
    # system can (a tenth faster than from the whole path).
    if os.stat not in os.supports_dir_fd:
        base = os.path.join(os.fspath(output), "")
        return _all_as(((base + rel, size, mtime) for rel, size, mtime in files), None) and bool(files)
    try:
        folder = os.open(output, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return False
    try:
        return _all_as(files, folder) and bool(files)
    finally:
        os.close(folder)


def _all_as(files: Iterable[tuple[str, int, int]], folder: int | None) -> bool:
    lookup = os.stat
    try:
        for path, size, mtime in files:
            found = lookup(path, dir_fd=folder)
            if found.st_size != size or found.st_mtime_ns != mtime:
                return False
    except OSError:
        return False
    return True


def _folder_identity(folder: Path) -> tuple[int, int] | None:
    """(device, inode) of a folder, or None when it is not one: a folder removed or put in its place since."""
    try:
        st = os.stat(folder)
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISDIR(st.st_mode) else None


def on_disk(path: Path) -> tuple[int, int] | None:
    """(size, mtime_ns) of an output file, or None when it is missing."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


class MemoryCache:
    """The same interface kept in memory, for `serve`: rebuilds after a save never touch SQLite.

    The first build may read what an earlier `kkssite build` left in the on-disk cache (`backing`); from then
    on the preview owns the output folder, so the on-disk manifest is forgotten. Owning it, the preview checks
    that the folder it last wrote is still there (not removed by `make clean`, nor replaced) instead of checking
    every file in it (0.19 s for 37,000 files, on every save); files edited by hand inside the preview's own
    folder are not looked for. Told no folder (`use` without `output`), it checks every file.
    """

    def __init__(self) -> None:
        self.generation = ""
        self.docs: dict[str, tuple[str, Any]] = {}
        self.pages: dict[str, PageRecord] = {}
        self.kept: dict[str, bytes] = {}  # fragments
        self.backing: BuildCache | None = None
        self.last: tuple[str, Any] | None = None
        self.theme: Any = None  # the compiled theme, reused while its files are unchanged (render.Theme)
        self.snap: Any = None  # the last good build's snapshot, its site graph the records themselves
        self.plans: dict[str, Planned] = {}
        self.shown: dict[str, set[str]] = {}  # record id → the files that show it
        self.output: Path | None = None  # the preview's own output folder
        self.written: tuple[int, int] | None = None  # its identity when the last build had written it
        self.loaded: Any = None  # the last load of the content folder that found no problem (build._Loaded)
        self.memos: dict[str, dict[Any, Any]] = {}  # see `identity_memos`
        self.by_id: tuple[Any, dict[str, Any]] | None = None  # a catalogue, and its records by id (build.py)

    def use(self, generation: str, backing: BuildCache | None, output: Path | None = None) -> MemoryCache:
        """Start a build of `generation` into `output`; everything from another generation is dropped."""
        if output != self.output:
            self.output, self.written = output, None
        if generation != self.generation:
            self.generation, self.docs, self.pages, self.kept = generation, {}, {}, {}
            self.snap, self.shown, self.plans = None, {}, {}
            self.backing = backing
            if backing is not None:
                self.pages = dict(backing.manifest())
        elif backing is not None:
            backing.close()
        return self

    def documents(self, wanted: dict[str, str]) -> dict[str, Any]:
        if self.backing is not None and not self.docs:
            return self.backing.documents(wanted)
        docs = self.docs
        return {path: found[1] for path, signature in wanted.items()
                if (found := docs.get(path)) is not None and found[0] == signature}

    def store_documents(self, entries: Iterable[tuple[str, str, Any, bytes | None]], keep: set[str] | None) -> None:
        if self.backing is not None and not self.docs:  # first build: take over everything still valid
            self.docs = {p: (s, d) for p, (s, d) in self._backing_all(keep).items()}
        for path, signature, doc, _payload in entries:
            self.docs[path] = (signature, doc)
        if keep is not None:
            for path in set(self.docs) - keep:
                del self.docs[path]

    def _backing_all(self, keep: set[str] | None) -> dict[str, tuple[str, Any]]:
        assert self.backing is not None
        found: dict[str, tuple[str, Any]] = {}
        for path, signature, payload in self.backing.db.execute("SELECT path, signature, payload FROM docs"):
            if keep is None or path in keep:
                found[path] = (signature, pickle.loads(payload))
        return found

    def manifest(self, last: LastBuild | None = None) -> Records:
        return dict(self.pages)

    def fragments(self, keys: Iterable[str]) -> dict[str, bytes]:
        return {key: self.kept[key] for key in keys if key in self.kept}

    def store_fragments(self, made: dict[str, bytes], used: set[str], activities: int, prune: bool = True) -> None:
        self.kept.update(made)
        if prune and len(self.kept) > FRAGMENTS_PER_ACTIVITY * max(activities, 1):
            self.kept = {k: v for k, v in self.kept.items() if k in used}

    def last_build(self, inputs: str, output: Path) -> Any:
        if self.last is None or self.last[0] != inputs or not self.intact(self.pages, output):
            return None
        return self.last[1]

    def intact(self, manifest: Records, output: Path) -> bool:
        """Whether the output is as the last build left it (see the class)."""
        if self.output is not None and output == self.output and self.written is not None:
            return bool(manifest) and _folder_identity(output) == self.written
        return verify(manifest, output)

    def _wrote(self) -> None:
        self.written = _folder_identity(self.output) if self.output is not None else None

    def planned(self, paths: Iterable[str]) -> dict[str, Planned]:
        return {p: self.plans[p] for p in paths if p in self.plans}

    def store_manifest(self, records: Records, plans: dict[str, Planned] | None = None,
                       last: tuple[str, Any] | None = None) -> None:
        self.pages = dict(records)
        self.plans = dict(plans or {})
        self.last = last
        self._wrote()
        if self.backing is not None:
            self.backing.forget_manifest()
            self.backing.close()
            self.backing = None

    def update_manifest(self, changed: dict[str, PageRecord], everything: Records,
                        plans: dict[str, Planned], last: tuple[str, Any] | None = None) -> None:
        self.pages = dict(everything)
        self.plans.update(plans)
        self.last = last
        self._wrote()

    def forget_manifest(self) -> None:
        self.pages = {}
        self.last = None
        self.written = None
        self.forget_snapshot()

    def snapshot(self) -> Any:
        return self.snap

    def shown_in(self, ids: Iterable[str]) -> dict[str, set[str]]:
        return {rid: set(self.shown[rid]) for rid in ids if rid in self.shown}

    def store_snapshot(self, snapshot: Any, records: Iterable[Any], shown: dict[str, set[str]],
                       full: bool, ahead: Generator[bytes, None, None] | None = None) -> None:
        if ahead is not None:  # (nothing is pickled in memory)
            ahead.close()
        if full:
            self.shown = {}
        for record in records:
            rid = f"{record.KIND}:{record.slug}"
            self.shown[rid] = set(shown.get(rid, ()))
        self.snap = snapshot

    def forget_snapshot(self) -> None:
        """After a failed build: the records may hold a patch that was never published."""
        self.snap, self.shown, self.memos, self.by_id = None, {}, {}, None

    def identity_memos(self, changed: Iterable[Any] | None) -> dict[str, dict[Any, Any]]:
        """What builds remember of the site's records by their identity, kept from build to build while a build
        patches the records in place: "digests" (keys.Digester's, by id) and "fragment-keys" (views.Fragments',
        by kind, then id). Those of the `changed` records are dropped (in place: the memos hold every record of
        the site); a build that makes a new site (`changed` None) starts with none."""
        if changed is None or not self.memos:
            self.memos = {"digests": {}, "fragment-keys": {}}
        else:
            digests, keys = self.memos["digests"], self.memos["fragment-keys"]
            for record in changed:
                digests.pop(id(record), None)
                for by_id in keys.values():
                    by_id.pop(id(record), None)
        return self.memos

    def close(self) -> None:
        """Kept open between rebuilds."""

"""The build store: what the last build made, so the next one redoes only what changed. One SQLite file per
content and output folder (`BuildCache`), or the same in memory for the live preview (`MemoryCache`).

It holds three things, all of one *generation* — the kkssite code, the cache schema, the Python version and
the bytes of site.yml and vocabularies.yml (any difference starts a new generation, and nothing of an old one
is trusted):
- typed content files, keyed by path and (mtime, size, inode) signature: an unchanged file is not read again;
- the manifest: per output file, its key (keys.py: a digest of what it shows) and the digest, size and mtime
  it was written with, so an output is skipped only when both its key and the file on disk are as left;
- fragments: pieces shared by many outputs (an activity's serialized events), by their key.
A database that cannot be read is deleted and rebuilt, never trusted; `--clean` ignores the manifest.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sqlite3
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__

SCHEMA = 2
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


def stat_signature(file: Path) -> str:
    st = file.stat()
    return f"{st.st_mtime_ns}:{st.st_size}:{st.st_ino}"


@dataclass(frozen=True, slots=True)
class PageRecord:
    """What the manifest knows about one output file."""

    key: str  # digest of everything the file was made from
    digest: str  # sha256 of its bytes
    size: int
    mtime_ns: int


class BuildCache:
    """Typed documents and the page manifest of one content folder and one output folder."""

    def __init__(self, folder: Path, content: Path, output: Path, generation: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256(f"{content.resolve()}\n{output.resolve()}".encode()).hexdigest()[:16]
        self.path = folder / f"{name}.sqlite"
        self.generation = generation
        self.fresh = False
        try:
            self._open()
        except (sqlite3.DatabaseError, pickle.UnpicklingError, EOFError):
            self._reset()

    def _open(self) -> None:
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
            "CREATE TABLE IF NOT EXISTS docs (path TEXT PRIMARY KEY, signature TEXT, payload BLOB);"
            "CREATE TABLE IF NOT EXISTS pages (path TEXT PRIMARY KEY, key TEXT, digest TEXT, size INT, mtime INT);"
            "CREATE TABLE IF NOT EXISTS fragments (key TEXT PRIMARY KEY, data BLOB);"
        )
        row = self.db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        if row is None or row[0] != self.generation:
            self.db.executescript("DELETE FROM docs; DELETE FROM pages; DELETE FROM fragments;")
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (self.generation,))
            self.fresh = True

    def _reset(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        self._open()

    # --- typed documents ---------------------------------------------------------------------------------

    def documents(self, wanted: dict[str, str]) -> dict[str, Any]:
        """Cached documents for {path: signature}, where the signature still matches."""
        found: dict[str, Any] = {}
        try:
            for path, signature, payload in self.db.execute("SELECT path, signature, payload FROM docs"):
                if wanted.get(path) == signature:
                    found[path] = pickle.loads(payload)
        except (sqlite3.DatabaseError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            self._reset()
            return {}
        return found

    def store_documents(self, entries: Iterable[tuple[str, str, Any]], keep: set[str]) -> None:
        """Save (path, signature, document) entries and forget documents whose files are gone."""
        rows = [(path, signature, pickle.dumps(doc, pickle.HIGHEST_PROTOCOL)) for path, signature, doc in entries]
        with self._transaction():
            self.db.executemany("INSERT OR REPLACE INTO docs VALUES (?, ?, ?)", rows)
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

    def store_fragments(self, made: dict[str, bytes], used: set[str], activities: int) -> None:
        """Save new fragments; when there are more than FRAGMENTS_PER_ACTIVITY per activity, forget the ones
        this build did not use."""
        with self._transaction():
            self.db.executemany("INSERT OR IGNORE INTO fragments VALUES (?, ?)", sorted(made.items()))
            (count,) = self.db.execute("SELECT COUNT(*) FROM fragments").fetchone()
            if count > FRAGMENTS_PER_ACTIVITY * max(activities, 1):
                stale = [(k,) for (k,) in self.db.execute("SELECT key FROM fragments") if k not in used]
                self.db.executemany("DELETE FROM fragments WHERE key = ?", stale)

    # --- page manifest -----------------------------------------------------------------------------------

    def manifest(self) -> dict[str, PageRecord]:
        try:
            return {path: PageRecord(key, digest, size, mtime)
                    for path, key, digest, size, mtime in self.db.execute("SELECT * FROM pages")}
        except sqlite3.DatabaseError:
            self._reset()
            return {}

    def store_manifest(self, records: dict[str, PageRecord], last: tuple[str, Any] | None = None) -> None:
        """Save the page manifest and, with it, what the build that wrote it read and reported (`last`)."""
        rows = sorted((p, r.key, r.digest, r.size, r.mtime_ns) for p, r in records.items())
        with self._transaction():
            old = self.db.execute("SELECT * FROM pages ORDER BY path").fetchall()
            if old != rows:
                self.db.execute("DELETE FROM pages")
                self.db.executemany("INSERT INTO pages VALUES (?, ?, ?, ?, ?)", rows)
            payload = pickle.dumps(last, pickle.HIGHEST_PROTOCOL) if last else b""
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('last_build', ?)", (payload,))

    def forget_manifest(self) -> None:
        with self._transaction():
            self.db.execute("DELETE FROM pages")
            self.db.execute("DELETE FROM meta WHERE key = 'last_build'")

    def last_build(self, inputs: str, output: Path) -> Any:
        """The result of the last build if it read exactly `inputs` and every file it wrote is still as it
        left it; else None."""
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'last_build'").fetchone()
            if not row or not row[0]:
                return None
            key, result = pickle.loads(row[0])
        except (sqlite3.DatabaseError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
            return None
        if key != inputs or not verify(self.manifest(), output):
            return None
        return result

    def _transaction(self) -> sqlite3.Connection:
        self.db.execute("BEGIN")
        return _Commit(self.db)  # type: ignore[return-value]

    def close(self) -> None:
        self.db.close()


class _Commit:
    """`with cache._transaction():` commits on success and rolls back on error."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        return self.db

    def __exit__(self, kind: object, *_: object) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")


def verify(manifest: dict[str, PageRecord], output: Path) -> bool:
    """Whether every file of a manifest is on disk with the size and mtime it was written with."""
    return bool(manifest) and all(on_disk(output / rel) == (r.size, r.mtime_ns) for rel, r in manifest.items())


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
    on the preview owns the output folder, so the on-disk manifest is forgotten.
    """

    def __init__(self) -> None:
        self.generation = ""
        self.docs: dict[str, tuple[str, Any]] = {}
        self.pages: dict[str, PageRecord] = {}
        self.kept: dict[str, bytes] = {}  # fragments
        self.backing: BuildCache | None = None
        self.last: tuple[str, Any] | None = None
        self.theme: Any = None  # the compiled theme, reused while its files are unchanged (render.Theme)

    def use(self, generation: str, backing: BuildCache | None) -> MemoryCache:
        """Start a build of `generation`; everything from another generation is dropped."""
        if generation != self.generation:
            self.generation, self.docs, self.pages, self.kept = generation, {}, {}, {}
            self.backing = backing
            if backing is not None:
                self.pages = backing.manifest()
        elif backing is not None:
            backing.close()
        return self

    def documents(self, wanted: dict[str, str]) -> dict[str, Any]:
        if self.backing is not None and not self.docs:
            return self.backing.documents(wanted)
        return {path: doc for path, (signature, doc) in self.docs.items() if wanted.get(path) == signature}

    def store_documents(self, entries: Iterable[tuple[str, str, Any]], keep: set[str]) -> None:
        if self.backing is not None and not self.docs:  # first build: take over everything still valid
            self.docs = {p: (s, d) for p, (s, d) in self._backing_all(keep).items()}
        for path, signature, doc in entries:
            self.docs[path] = (signature, doc)
        for path in set(self.docs) - keep:
            del self.docs[path]

    def _backing_all(self, keep: set[str]) -> dict[str, tuple[str, Any]]:
        assert self.backing is not None
        found: dict[str, tuple[str, Any]] = {}
        for path, signature, payload in self.backing.db.execute("SELECT path, signature, payload FROM docs"):
            if path in keep:
                found[path] = (signature, pickle.loads(payload))
        return found

    def manifest(self) -> dict[str, PageRecord]:
        return dict(self.pages)

    def fragments(self, keys: Iterable[str]) -> dict[str, bytes]:
        return {key: self.kept[key] for key in keys if key in self.kept}

    def store_fragments(self, made: dict[str, bytes], used: set[str], activities: int) -> None:
        self.kept.update(made)
        if len(self.kept) > FRAGMENTS_PER_ACTIVITY * max(activities, 1):
            self.kept = {k: v for k, v in self.kept.items() if k in used}

    def last_build(self, inputs: str, output: Path) -> Any:
        if self.last is None or self.last[0] != inputs or not verify(self.pages, output):
            return None
        return self.last[1]

    def store_manifest(self, records: dict[str, PageRecord], last: tuple[str, Any] | None = None) -> None:
        self.pages = dict(records)
        self.last = last
        if self.backing is not None:
            self.backing.forget_manifest()
            self.backing.close()
            self.backing = None

    def forget_manifest(self) -> None:
        self.pages = {}
        self.last = None

    def close(self) -> None:
        """Kept open between rebuilds."""

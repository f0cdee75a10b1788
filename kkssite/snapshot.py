"""The previous build's site, kept so that the next build can patch an edit into it instead of starting over.

A `Snapshot` is what a successful build leaves for the next one: its `Site` (the site graph and the catalogue it
was made from), the stat signature of every content file it read, which record each file made, the warnings it
reported per file, the timeline signature of its `now` (graph.Timeline) and the digest of every record
(keys.Digester). build.py patches it when every changed file changed only *leaves* of its record (model.py) and
`now` is on the same side of every boundary: then the site graph is the same but for those records' fields,
so it sets the new fields on the records it holds and re-plans only the outputs that show them.

`serve` keeps the snapshot in memory (the Site itself). On disk (cache.py) the site graph is one pickle in
which every record is a reference, and each record is a row of its own: it is read when one of its fields is
first used (`LazyRecords`). A one-activity edit at 10,000 activities reads a few hundred of the records and
takes the rest (the feeds' events, the cards of the filter's index) from the fragment store by their digests.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import pickle
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Problem
from .graph import Site
from .keys import Digest
from .model import is_record, record_id

#: The record classes (anything whose class has a KIND: model.py's Activity, Venue, Organisation, Need, Page).
_LAZY: dict[type, type] = {}
_loading: ContextVar[LazyRecords | None] = ContextVar("kkssite_lazy_records", default=None)


@dataclass(slots=True)
class Snapshot:
    """What the last good build left for the next one (see the module docstring)."""

    site: Site
    inputs: str  # digest of everything besides the content files a patch needs to be equal (code, settings…)
    moment: tuple[object, ...]  # site.timeline.signature(now) of the build
    signatures: dict[str, str]  # content path → stat signature, of every content file and asset
    records: dict[str, str]  # content path → id of the record it made (none for a draft left out)
    digests: dict[str, Digest]  # record id → its digest and the records it depends on (stored apart: cache.py)
    warnings: dict[str, tuple[Problem, ...]]  # path → the warnings about it (content files, assets)
    lifecycle: dict[str, tuple[Problem, ...]]  # path → the warnings that depend on `now` (needs.py)
    counts: tuple[int, int]  # pages and subscription feeds of the site (a patch plans only some of them)

    def all_warnings(self) -> list[Problem]:
        return [problem for found in (*self.warnings.values(), *self.lifecycle.values()) for problem in found]


def record_fields(record: Any) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(record))


def set_fields(target: Any, source: Any) -> None:
    """Give `target` every field of `source` (records are frozen; the patch is the one place they change)."""
    for name in record_fields(source):
        object.__setattr__(target, name, getattr(source, name))
    if type(target) in _LAZY.values():  # every field is set now: the store's (older) row must never be read into it
        object.__setattr__(target, "_records", None)


# --- pickling with records as references -------------------------------------------------------------------


def _ref(kind: str, slug: str) -> Any:
    records = _loading.get()
    if records is None:  # pragma: no cover - only LazyRecords.load_* unpickle these
        raise RuntimeError("a record reference outside LazyRecords")
    return records.ref(kind, slug)


#: Class → the field names of its instances' constructor call, or () when it is pickled the default way.
_CALLS: dict[type, tuple[str, ...]] = {}


def _call_fields(cls: type) -> tuple[str, ...]:
    """The fields to pickle an instance of `cls` as `cls(*values)`: for a slotted dataclass (every value of the
    site graph but the builtins) whose constructor takes exactly its fields in order, and which says nothing
    of its own about how it is pickled (`__reduce__`: facets, languages, terms). dataclasses' own `__setstate__`
    for slotted classes asks `fields()` of every instance it restores: at 10,000 activities, 57,000 instances
    of the site graph alone took 0.18 s to load this way and take 0.1 s as constructor calls."""
    found = _CALLS.get(cls)
    if found is None:
        found = ()
        if (dataclasses.is_dataclass(cls) and "__slots__" in vars(cls)
                and not any(name in vars(base) for base in cls.__mro__[:-1]
                            for name in ("__reduce__", "__reduce_ex__"))):
            fields = dataclasses.fields(cls)
            if all(f.init and not f.kw_only for f in fields):
                found = tuple(f.name for f in fields)
        _CALLS[cls] = found
    return found


class _Pickler(pickle.Pickler):
    """Pickles records as references (kind, slug), except the one record whose row is being written, and the
    other dataclasses as constructor calls (`_call_fields`)."""

    def __init__(self, file: io.BytesIO, root: object = None) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self.root = root

    def reducer_override(self, obj: Any) -> Any:
        if is_record(obj):
            return (_ref, (obj.KIND, obj.slug)) if obj is not self.root else NotImplemented
        names = _call_fields(type(obj))
        if names:
            return type(obj), tuple([getattr(obj, name) for name in names])
        return NotImplemented


def dumps_site(site: Site) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer).dump(site)
    return buffer.getvalue()


def dumps_record(record: Any) -> bytes:
    """A record's row: its class and field values, linked records as references."""
    buffer = io.BytesIO()
    values = tuple(getattr(record, name) for name in record_fields(record))
    _Pickler(buffer, record).dump((type(record).__mro__[_real_index(record)], values))
    return buffer.getvalue()


def write_rows(site: Site, records: Iterable[Any], write: Callable[[bytes], None]) -> None:
    """What a full build stores of its snapshot, as frames (workers.Ahead): dumps_site, then each record's id
    and dumps_record (BuildCache.store_snapshot reads them in the same order)."""
    write(dumps_site(site))
    for record in records:
        write(record_id(record).encode())
        write(dumps_record(record))


def _real_index(record: Any) -> int:
    """The position of the model class in a (possibly lazy) record's MRO."""
    return 1 if type(record) in _LAZY.values() else 0


def _lazy_class(cls: type) -> type:
    """A subclass of a record class whose instances read their fields from the store when first used.

    Its instances start with only `slug` set; reading any other field finds the slot empty, which calls
    `__getattr__`, which sets every field at once. After that they are ordinary records (no cost per access)."""
    found = _LAZY.get(cls)
    if found is None:
        def __getattr__(self: Any, name: str) -> Any:
            if name.startswith("__") or name == "_records":
                raise AttributeError(name)
            records = object.__getattribute__(self, "_records")
            if records is None:
                raise AttributeError(name)
            records.fill(self)
            return object.__getattribute__(self, name)

        found = _LAZY[cls] = type(f"Lazy{cls.__name__}", (cls,), {"__slots__": ("_records",),
                                                                   "__getattr__": __getattr__})
    return found


class LazyRecords:
    """The records of a stored snapshot, read one row at a time when first used.

    `rows(record id)` returns a stored row. Every reference to one record is the same object, so a patch
    that sets a record's fields is seen by every part of the site graph that holds it. A process forked from
    the build (a worker) reopens the store before reading."""

    def __init__(self, open_rows: Callable[[], Callable[[str], bytes | None]],
                 classes: dict[str, type]) -> None:
        self.open_rows = open_rows
        self.classes = classes
        self.by_id: dict[str, Any] = {}
        self._pid = os.getpid()
        self._rows = open_rows()
        self.filled = 0

    def ref(self, kind: str, slug: str) -> Any:
        rid = f"{kind}:{slug}"
        found = self.by_id.get(rid)
        if found is None:
            found = object.__new__(_lazy_class(self.classes[kind]))
            object.__setattr__(found, "slug", slug)
            object.__setattr__(found, "_records", self)
            self.by_id[rid] = found
        return found

    def fill(self, record: Any) -> None:
        if os.getpid() != self._pid:
            self._pid, self._rows = os.getpid(), self.open_rows()
        rid = f"{record.KIND}:{object.__getattribute__(record, 'slug')}"
        row = self._rows(rid)
        if row is None:
            raise LookupError(f"the build store has no row for {rid}")
        _cls, values = self.load(row)
        for name, value in zip(record_fields(record), values, strict=True):
            object.__setattr__(record, name, value)
        object.__setattr__(record, "_records", None)
        self.filled += 1

    def load(self, data: bytes) -> Any:
        token = _loading.set(self)
        try:
            return pickle.loads(data)
        finally:
            _loading.reset(token)


def record_classes() -> dict[str, type]:
    from . import model

    return {vars(cls)["KIND"]: cls for cls in vars(model).values()
            if isinstance(cls, type) and dataclasses.is_dataclass(cls) and isinstance(vars(cls).get("KIND"), str)}


def sqlite_rows(path: Path) -> Callable[[], Callable[[str], bytes | None]]:
    """How LazyRecords opens the record rows of a build store (once per process)."""

    def open_rows() -> Callable[[str], bytes | None]:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)

        def row(rid: str) -> bytes | None:
            found = db.execute("SELECT payload FROM record_rows WHERE id = ?", (rid,)).fetchone()
            return found[0] if found else None

        return row

    return open_rows


@contextlib.contextmanager
def loading(records: LazyRecords) -> Iterator[None]:
    token = _loading.set(records)
    try:
        yield
    finally:
        _loading.reset(token)

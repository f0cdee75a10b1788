"""The one recipe for the key of an output: a digest of exactly what it shows.

An output's key is the digest of its route, its producer (a template and the templates it uses, or a
serializer), the base every page shares, and its context — the values views.py gave it. Equal keys mean equal
bytes, so the build keeps an output whose key did not change (build.py) and the store remembers keys between
builds (cache.py). There is no other way of deciding what to redo.

Values are digested by what they are, not by what model class they belong to: primitives by value, containers
item by item, dataclasses field by field — except records (anything with a `source`: activities, venues,
organisations, needs, pages), which are a pure function of their source file, the records they link to, the
settings and the files they name (`FROM_FILES`: an image's pixel size); they are digested by their source's
digest, their linked records' keys and those fields. Every dataclass
instance is digested once per build (`Digester` remembers them while the build runs); everything else is fed
straight into the running hash.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from .model import is_record, record_id

#: A record's digest and the ids of the records it depends on (itself and those it links to).
Digest = tuple[bytes, frozenset[str]]

_PLAIN = (str, int, float, bool, Decimal, Markup, date, datetime, time, timedelta)


class Digester:
    """Digests of values for one build; dataclass instances (immutable here) are remembered by identity.

    Besides its digest, a value has *dependencies*: the ids of the records it shows (model.record_id), found on
    the way — a record itself, the records it links to, and any view of one (a dataclass with a `record`
    property naming it, such as an activity's card). The build stores them per output, so an edit that changes
    only some records re-plans only the outputs that show them. `known` gives the digests of records from the
    previous build (records loaded lazily from the build store are digested without being read). `kept` holds
    records' digests by identity from an earlier build of the same record objects (the live preview's); the
    digester adds the records it digests to it."""

    def __init__(self, known: dict[str, Digest] | None = None,
                 kept: dict[int, tuple[object, bytes, frozenset[str]]] | None = None) -> None:
        self._memo: dict[int, tuple[object, bytes, frozenset[str]]] = dict(kept) if kept else {}
        self.kept = kept
        self._fields: dict[type, tuple[tuple[str, ...], bool]] = {}
        self.known = known or {}
        self._sets: dict[frozenset[str], frozenset[str]] = {}
        self.records: dict[str, Digest] = {}  # record id → (digest, dependencies) of every record digested

    def key(self, *values: Any) -> str:
        """The hex digest of values, in order."""
        h = hashlib.blake2b(digest_size=16)
        deps: set[str] = set()
        for value in values:
            self._feed(h, value, deps)
        return h.hexdigest()

    def key_deps(self, *values: Any) -> tuple[str, frozenset[str]]:
        """The hex digest of values, and the ids of the records they show."""
        h = hashlib.blake2b(digest_size=16)
        deps: set[str] = set()
        for value in values:
            self._feed(h, value, deps)
        return h.hexdigest(), self._frozen(deps)

    def _feed(self, h: Any, value: Any, deps: set[str]) -> None:
        kind = type(value)
        how = _HOW.get(kind)
        if how is None:
            how = _HOW[kind] = _how(kind)
        if how is _DATACLASS:
            found = self._memo.get(id(value))
            if found is None:
                found = self._memo[id(value)] = (value, *self._dataclass(value))
            h.update(found[1])
            deps |= found[2]
        elif how is _VALUE:
            h.update(f"\x1f{kind.__name__}\x1e{value!r}".encode())
        elif how is _SEQUENCE:
            h.update(b"\x1f[%d" % len(value))
            memo = self._memo
            for item in value:  # (inline for a digested dataclass: 10,000 records in the open data's context)
                found = memo.get(id(item)) if _HOW.get(type(item)) is _DATACLASS else None
                if found is None:
                    self._feed(h, item, deps)
                else:
                    h.update(found[1])
                    deps |= found[2]
        elif how is _MAPPING:
            h.update(b"\x1f{%d" % len(value))
            for k, v in value.items():
                self._feed(h, k, deps)
                self._feed(h, v, deps)
        elif how is _BYTES:
            h.update(b"\x1fbytes\x1e%d\x1e" % len(value))
            h.update(value)
        elif how is _SET:
            h.update(b"\x1f<%d" % len(value))
            parts = []
            for item in value:
                part, shows = self.key_deps(item)
                parts.append(part)
                deps |= shows
            for part in sorted(parts):
                h.update(part.encode())
        elif how is _ZONE:
            h.update(f"\x1fzone\x1e{value.key}".encode())
        elif how is _FUNCTION:  # a table's function (a facet's terms_of): the code digest covers its body
            h.update(f"\x1ffn\x1e{value.__module__}.{value.__qualname__}".encode())
        else:
            raise TypeError(f"no digest for {type(value).__name__}: an output's context must be plain data")

    def _dataclass(self, value: Any) -> tuple[bytes, frozenset[str]]:
        kind = type(value)
        names, record = self._fields.get(kind) or self._describe(kind)
        deps: set[str] = set()
        if record:  # its file, and the records it links to
            rid = record_id(value)
            known = self.known.get(rid)
            if known is None:
                h = hashlib.blake2b(value.KIND.encode(), digest_size=16)
                h.update(value.source.digest.encode())
                for name in getattr(kind, "FROM_FILES", ()):
                    self._feed(h, getattr(value, name), deps)
                for name in names:
                    linked = getattr(value, name)
                    if is_record(linked) or (isinstance(linked, tuple) and linked and is_record(linked[0])):
                        self._feed(h, linked, deps)
                deps.add(rid)
                known = (h.digest(), frozenset(deps))
            self.records[rid] = known
            if self.kept is not None:
                self.kept[id(value)] = (value, *known)
            return known
        h = hashlib.blake2b(kind.__name__.encode(), digest_size=16)
        for name in names:
            self._feed(h, getattr(value, name), deps)
        shown = getattr(value, "record", None)
        if isinstance(shown, str):
            deps.add(shown)
        return h.digest(), self._frozen(deps)

    def _frozen(self, deps: set[str]) -> frozenset[str]:
        """The same frozenset for the same records: a site's outputs and views share a few thousand of them."""
        if not deps:
            return _NONE
        frozen = frozenset(deps)
        return self._sets.setdefault(frozen, frozen)

    def _describe(self, kind: type) -> tuple[tuple[str, ...], bool]:
        names = tuple(f.name for f in dataclasses.fields(kind))
        self._fields[kind] = (names, "source" in names)
        return self._fields[kind]


_NONE: frozenset[str] = frozenset()

# How a value is digested depends on its type alone, so the answer is kept per type (`_how`): a build feeds
# millions of values, and the chain of isinstance checks cost more than the digests themselves.
_VALUE, _BYTES, _SEQUENCE, _MAPPING, _SET, _ZONE, _DATACLASS, _FUNCTION, _REFUSED = (
    "value", "bytes", "sequence", "mapping", "set", "zone", "dataclass", "function", "refused")
_HOW: dict[type, str] = {}


def _how(kind: type) -> str:
    if kind is type(None) or kind in _PLAIN or issubclass(kind, _PLAIN):
        return _VALUE
    if kind is bytes:
        return _BYTES
    if kind in (tuple, list):
        return _SEQUENCE
    if kind is dict:
        return _MAPPING
    if kind in (set, frozenset):
        return _SET
    if issubclass(kind, ZoneInfo):
        return _ZONE
    if dataclasses.is_dataclass(kind) and not issubclass(kind, type):
        return _DATACLASS
    if any("__call__" in vars(base) for base in kind.__mro__):  # (what callable() asks of an instance)
        return _FUNCTION
    return _REFUSED

"""The one recipe for the key of an output: a digest of exactly what it shows.

An output's key is the digest of its route, its producer (a template and the templates it uses, or a
serializer), the base every page shares, and its context — the values views.py gave it. Equal keys mean equal
bytes, so the build keeps an output whose key did not change (build.py) and the store remembers keys between
builds (cache.py). There is no other way of deciding what to redo.

Values are digested by what they are, not by what model class they belong to: primitives by value, containers
item by item, dataclasses field by field — except records (anything with a `source`: activities, venues,
organisations, needs, pages), which are a pure function of their source file, the records they link to and
the settings; they are digested by their source's digest and their linked records' keys. Every dataclass
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

_PLAIN = (str, int, float, bool, Decimal, Markup, date, datetime, time, timedelta)


class Digester:
    """Digests of values for one build; dataclass instances (immutable here) are remembered by identity."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[object, bytes]] = {}
        self._fields: dict[type, tuple[tuple[str, ...], bool]] = {}

    def key(self, *values: Any) -> str:
        """The hex digest of values, in order."""
        h = hashlib.blake2b(digest_size=16)
        for value in values:
            self._feed(h, value)
        return h.hexdigest()

    def _feed(self, h: Any, value: Any) -> None:
        kind = type(value)
        if value is None or kind in _PLAIN or isinstance(value, _PLAIN):
            h.update(f"\x1f{kind.__name__}\x1e{value!r}".encode())
        elif kind is bytes:
            h.update(b"\x1fbytes\x1e%d\x1e" % len(value))
            h.update(value)
        elif kind in (tuple, list):
            h.update(b"\x1f[%d" % len(value))
            for item in value:
                self._feed(h, item)
        elif kind is dict:
            h.update(b"\x1f{%d" % len(value))
            for k, v in value.items():
                self._feed(h, k)
                self._feed(h, v)
        elif kind in (set, frozenset):
            h.update(b"\x1f<%d" % len(value))
            for part in sorted(self.key(item) for item in value):
                h.update(part.encode())
        elif isinstance(value, ZoneInfo):
            h.update(f"\x1fzone\x1e{value.key}".encode())
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            found = self._memo.get(id(value))
            if found is None:
                found = self._memo[id(value)] = (value, self._dataclass(value))
            h.update(found[1])
        elif callable(value):  # a table's function (a facet's terms_of): the code digest covers its body
            h.update(f"\x1ffn\x1e{value.__module__}.{value.__qualname__}".encode())
        else:
            raise TypeError(f"no digest for {type(value).__name__}: an output's context must be plain data")

    def _dataclass(self, value: Any) -> bytes:
        kind = type(value)
        names, record = self._fields.get(kind) or self._describe(kind)
        h = hashlib.blake2b(kind.__name__.encode(), digest_size=16)
        if record:  # its file, and the records it links to
            h.update(value.source.digest.encode())
            for name in names:
                linked = getattr(value, name)
                if _is_record(linked) or (isinstance(linked, tuple) and linked and _is_record(linked[0])):
                    self._feed(h, linked)
        else:
            for name in names:
                self._feed(h, getattr(value, name))
        return h.digest()

    def _describe(self, kind: type) -> tuple[tuple[str, ...], bool]:
        names = tuple(f.name for f in dataclasses.fields(kind))
        self._fields[kind] = (names, "source" in names)
        return self._fields[kind]


def _is_record(value: Any) -> bool:
    return dataclasses.is_dataclass(value) and hasattr(value, "source")

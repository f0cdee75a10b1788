"""keys.py: an output's key is a digest of exactly what it shows, and the records it shows are its dependencies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from markupsafe import Markup

from kkssite.keys import Digester


@dataclass(frozen=True)
class Card:
    title: str
    when: date
    tags: tuple[str, ...] = ()

    @property
    def record(self) -> str:
        return f"activity:{self.title}"


@dataclass(frozen=True)
class Venue:
    KIND = "venue"
    slug: str
    source: SimpleNamespace
    name: str


def key(*values: object) -> str:
    return Digester().key(*values)


def test_equal_values_have_equal_keys_and_any_difference_shows() -> None:
    context = {"title": "Ljusdesign", "when": date(2027, 2, 3), "cards": [Card("a", date(2027, 1, 1))]}
    assert key(context) == key({"title": "Ljusdesign", "when": date(2027, 2, 3),
                                "cards": [Card("a", date(2027, 1, 1))]})
    assert key(context) != key({**context, "title": "Ljusdesign!"})
    assert key(context) != key({**context, "cards": [Card("a", date(2027, 1, 2))]})
    assert key(Card("a", date(2027, 1, 1), ("x",))) != key(Card("a", date(2027, 1, 1), ("y",)))


def test_a_value_is_digested_by_its_type_too() -> None:
    found = {key(v) for v in (1, "1", 1.0, True, None, b"1", (1,), [1], {1}, Markup("1"), date(2027, 1, 1),
                                datetime(2027, 1, 1, tzinfo=ZoneInfo("Europe/Stockholm")))}
    assert len(found) == 11  # all differ but (1,) and [1]: a tuple and a list of the same items are one sequence
    assert key((1, 2)) == key([1, 2])
    assert key({"a", "b"}) == key({"b", "a"})  # a set's order is not shown
    assert key(ZoneInfo("Europe/Stockholm")) != key(ZoneInfo("Europe/Oslo"))
    assert key(len) != key(sorted)  # a function by its name (the code digest covers its body)


def test_what_cannot_be_digested_is_refused() -> None:
    with pytest.raises(TypeError, match="no digest for object"):
        key({"x": object()})
    with pytest.raises(TypeError, match="no digest for SimpleNamespace"):
        key([SimpleNamespace()])


def test_records_are_digested_by_their_source_and_shown_as_dependencies() -> None:
    source = SimpleNamespace(digest="abc")
    venue = Venue("scen", source, "Scenen")
    digester = Digester()
    first, deps = digester.key_deps({"venue": venue, "card": Card("ljus", date(2027, 1, 1))})
    assert deps == {"venue:scen", "activity:ljus"}
    # the same source: the same key, whatever else the record holds (the source is what it is made of)
    assert Digester().key_deps({"venue": Venue("scen", source, "Annat namn"),
                                "card": Card("ljus", date(2027, 1, 1))})[0] == first
    assert Digester().key_deps({"venue": Venue("scen", SimpleNamespace(digest="abd"), "Scenen"),
                                "card": Card("ljus", date(2027, 1, 1))})[0] != first


def test_a_long_sequence_of_digested_records_keys_as_a_fresh_digester_does() -> None:
    """The sequence's shortcut for dataclasses digested before gives the key the full path gives."""
    cards = tuple(Card(f"c{i}", date(2027, 1, 1 + i % 28)) for i in range(300))
    digester = Digester()
    warm = digester.key_deps(cards[:150])  # digests (and remembers) half of them
    assert digester.key_deps(cards) == Digester().key_deps(cards)
    assert warm == Digester().key_deps(cards[:150])
    assert digester.key_deps(cards)[1] == {f"activity:c{i}" for i in range(300)}

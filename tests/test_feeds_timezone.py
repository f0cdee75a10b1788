"""VTIMEZONE from zoneinfo's transitions: every local time of the covered years gets zoneinfo's offset and
abbreviation when vobject reads the VTIMEZONE, the onsets by RFC 5545 are exactly the zone's transitions, and the
RRULE form is compact (one rule per observance, no RDATE)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import pytest
import vobject
import vobject.icalendar
from dateutil.rrule import rrulestr
from icalendar.parser import Contentline

from kkssite.feeds.timezone import vtimezone

#: Zone → (first, last) year of the events; the VTIMEZONE must hold from first - 1 to last + 1.
ZONES = {
    "Europe/Stockholm": (1990, 2030),  # EU rule change in 1996: end of DST from September to October
    "America/New_York": (2000, 2012),  # US rule change in 2007
    "Australia/Sydney": (1998, 2012),  # DST across the new year; one-off dates in 2000, 2006 and 2007; 2008 rule
    "Europe/Moscow": (2008, 2016),  # +03/+04 DST until 2010, +04 standard in 2011, +03 standard from 2014
    "Asia/Tokyo": (2020, 2028),  # no transitions
}
ONE_HOUR = timedelta(hours=1)


def make(zone: str) -> icalendar.Timezone:
    first, last = ZONES[zone]
    return vtimezone(zone, date(first, 3, 1), date(last, 10, 31))


@cache
def made(zone: str) -> icalendar.Timezone:
    """`make(zone)` once per test run, for the tests that only read it."""
    return make(zone)


def text(prop: object) -> str:
    """A property value in its iCalendar text (`vUTCOffset.to_ical()` gives str, the others bytes)."""
    value = prop.to_ical()  # type: ignore[attr-defined]
    return value.decode() if isinstance(value, bytes) else value


def span(zone: str) -> tuple[datetime, datetime]:
    """The instants the VTIMEZONE must describe: 1 January of first - 1 to 1 January of last + 2 (excluded)."""
    first, last = ZONES[zone]
    tz = ZoneInfo(zone)
    return datetime(first - 1, 1, 1, tzinfo=tz), datetime(last + 2, 1, 1, tzinfo=tz)


def state(moment: datetime, tz: ZoneInfo) -> tuple[timedelta | None, str | None, bool]:
    """zoneinfo's offset, abbreviation and whether it is daylight-saving time at `moment`."""
    local = moment.astimezone(tz)
    return local.utcoffset(), local.tzname(), bool(local.dst())


@cache
def zone_transitions(zone: str, start: datetime, end: datetime) -> tuple[tuple[datetime, timedelta, str, bool], ...]:
    """zoneinfo's transitions in [start, end) as (UTC instant, offset, name, daylight after), found day by day
    and then hour by hour (the zones here change on the hour)."""
    tz = ZoneInfo(zone)
    found = []
    moment = start.astimezone(UTC)
    before = state(moment, tz)
    while moment < end:
        day_after = moment + timedelta(days=1)
        if state(day_after, tz) != before:
            hour = moment + ONE_HOUR
            while state(hour, tz) == before:
                hour += ONE_HOUR
            assert state(hour - timedelta(seconds=1), tz) == before, f"{zone} changes off the hour near {hour}"
            before = state(hour, tz)
            if hour < end:
                found.append((hour, *before))
            moment = hour
        else:
            moment = day_after
    return tuple(found)


def local_times(zone: str) -> Iterator[datetime]:
    """Naive local times to check: every hour from two hours before to two hours after each transition's local
    time, noon of the 15th of January, April, July and October of every year, and the first and last minute of
    the span. (The exact instants of all onsets are checked below, by RFC 5545 arithmetic.)"""
    tz = ZoneInfo(zone)
    start, end = span(zone)
    yield start.replace(tzinfo=None)
    yield (end - timedelta(minutes=1)).replace(tzinfo=None)
    for year in range(start.year, end.year):
        for month in (1, 4, 7, 10):
            yield datetime(year, month, 15, 12, tzinfo=tz).replace(tzinfo=None)
    for instant, *_ in zone_transitions(zone, start, end):
        wall = instant.astimezone(tz).replace(tzinfo=None)
        for hours in range(-2, 3):
            yield wall + hours * ONE_HOUR


def unambiguous(wall: datetime, tz: ZoneInfo) -> bool:
    """False for a local time that does not exist or exists twice (fold changes the offset)."""
    return wall.replace(tzinfo=tz, fold=0).utcoffset() == wall.replace(tzinfo=tz, fold=1).utcoffset()


def calendar_with_events(zone: str, walls: list[datetime]) -> bytes:
    """The VTIMEZONE and one VEVENT per two local times (DTSTART and DTEND, both with TZID, in order): half as
    many events for vobject to parse."""
    tz = ZoneInfo(zone)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//kkssite tests//timezone//EN")
    cal.add("version", "2.0")
    cal.add_component(made(zone))
    stamp = datetime(2025, 1, 1, tzinfo=UTC)
    for index in range(0, len(walls), 2):
        event = icalendar.Event()
        event.add("uid", f"{index}@tests")
        event.add("dtstamp", stamp)
        event.add("dtstart", walls[index].replace(tzinfo=tz))
        if index + 1 < len(walls):
            event.add("dtend", walls[index + 1].replace(tzinfo=tz))
        cal.add_component(event)
    return cal.to_ical()


@pytest.fixture
def fresh_vobject(monkeypatch: pytest.MonkeyPatch) -> None:
    """vobject keeps the first tzinfo registered per TZID for the whole process, in its module-level
    `__tzidMap`: after test_feeds_ical.py has read the site's Europe/Stockholm, readOne() would apply that one
    to our events. Give each test an empty registry (restored afterwards), so the VTIMEZONE under test is used."""
    monkeypatch.setitem(vars(vobject.icalendar), "__tzidMap", {"UTC": vobject.icalendar.utc})


@pytest.mark.usefixtures("fresh_vobject")
@pytest.mark.parametrize("zone", ZONES)
def test_vobject_reads_zoneinfo_offset_and_name_at_every_checked_local_time(zone: str) -> None:
    tz = ZoneInfo(zone)
    walls = sorted({w for w in local_times(zone) if unambiguous(w, tz)})
    data = calendar_with_events(zone, walls)
    assert f"DTSTART;TZID={zone}:".encode() in data

    parsed = icalendar.Calendar.from_ical(data)
    assert len(parsed.walk("VTIMEZONE")) == 1
    assert len(parsed.walk("VEVENT")) == (len(walls) + 1) // 2

    cal = vobject.readOne(data.decode("utf-8"))
    values = [line.value for event in cal.vevent_list for line in (event.dtstart, getattr(event, "dtend", None))
              if line is not None]
    assert [value.replace(tzinfo=None) for value in values] == walls
    wrong = []
    for value in values:
        assert repr(value.tzinfo) == f"<tzicalvtz {zone!r}>", "vobject did not use the VTIMEZONE of the calendar"
        expected = value.replace(tzinfo=tz)
        if (value.utcoffset(), value.tzname()) != (expected.utcoffset(), expected.tzname()):
            wrong.append(f"{value:%Y-%m-%d %H:%M}: {value.utcoffset()} {value.tzname()}, "
                         f"zoneinfo {expected.utcoffset()} {expected.tzname()}")
    assert not wrong, f"{len(wrong)} of {len(values)} local times wrong in {zone}, e.g. {wrong[:5]}"


def utc_instant(value: str) -> datetime:
    """An iCalendar UTC date-time (…Z) as an aware datetime."""
    return icalendar.vDDDTypes.from_ical(value)


def observances(vtz: icalendar.Component) -> list[icalendar.Component]:
    return [part for part in vtz.subcomponents if part.name in ("STANDARD", "DAYLIGHT")]


def onsets(part: icalendar.Component, end: datetime) -> list[datetime]:
    """An observance's onsets by RFC 5545 (UNTIL compared with the onset's UTC instant), up to `end`."""
    offset_from = part["TZOFFSETFROM"].td
    start = part.decoded("DTSTART").replace(tzinfo=timezone(offset_from))
    if "RRULE" not in part:
        return [start]
    rule = rrulestr(part["RRULE"].to_ical().decode(), dtstart=start)
    return list(rule.between(start, end, inc=True))


@pytest.mark.parametrize("zone", ZONES)
def test_onsets_by_rfc_5545_are_exactly_the_zone_transitions(zone: str) -> None:
    """Every onset of every observance, with UNTIL read as RFC 5545 says (a UTC instant), is one of zoneinfo's
    transitions with its new offset, name and kind (DAYLIGHT when the new offset is daylight-saving time), and
    each transition is one onset; the first observance begins by the start of the span."""
    start, end = span(zone)
    parts = observances(made(zone))
    assert min(onsets(part, end)[0] for part in parts) <= start
    generated = [(onset.astimezone(UTC), part["TZOFFSETTO"].td, str(part["TZNAME"]), part.name == "DAYLIGHT")
                 for part in parts for onset in onsets(part, end) if start < onset < end]
    assert tuple(sorted(generated)) == zone_transitions(zone, start, end)


def rules(vtz: icalendar.Timezone) -> list[tuple[str, str, str, str, str, str]]:
    """Each observance as (kind, DTSTART, RRULE, TZOFFSETFROM, TZOFFSETTO, TZNAME) in its iCalendar text."""
    return [(part.name, text(part["DTSTART"]), text(part["RRULE"]) if "RRULE" in part else "",
             text(part["TZOFFSETFROM"]), text(part["TZOFFSETTO"]), text(part["TZNAME"])) for part in observances(vtz)]


def recur(rule: str) -> dict[str, list[str]]:
    """An RRULE as part → values, so the order of its parts does not matter."""
    return {name: values.split(",") for name, values in (item.split("=") for item in rule.split(";"))} if rule \
        else {}


def test_stockholm_september_rule_until_1995_and_october_rule_from_1996() -> None:
    parsed = [(kind, start, recur(rule), *rest) for kind, start, rule, *rest in rules(made("Europe/Stockholm"))]
    standard = [p for p in parsed if p[0] == "STANDARD"]
    assert len(standard) == 2
    september, october = standard
    assert september[1] <= "19890101T000000"
    until = september[2].pop("UNTIL")
    assert september[2] == {"FREQ": ["YEARLY"], "BYMONTH": ["9"], "BYDAY": ["-1SU"]}
    assert september[3:] == ("+0200", "+0100", "CET")
    # UNTIL in UTC, from the last September onset (1995-09-24 01:00 UTC) to before the next year's would-be one
    assert until[0].endswith("Z")
    assert datetime(1995, 9, 24, 1, tzinfo=UTC) <= utc_instant(until[0]) < datetime(1996, 9, 29, 1, tzinfo=UTC)
    assert october[1:] == ("19961027T030000", {"FREQ": ["YEARLY"], "BYMONTH": ["10"], "BYDAY": ["-1SU"]},
                           "+0200", "+0100", "CET")
    daylight = [p for p in parsed if p[0] == "DAYLIGHT"]
    assert daylight == [("DAYLIGHT", "19890326T020000", {"FREQ": ["YEARLY"], "BYMONTH": ["3"], "BYDAY": ["-1SU"]},
                         "+0100", "+0200", "CEST")]


def test_stockholm_2010_to_2028_is_one_daylight_and_one_standard_rule() -> None:
    vtz = vtimezone("Europe/Stockholm", date(2010, 1, 1), date(2028, 12, 31))
    parsed = sorted((kind, recur(rule), start[8:], *rest) for kind, start, rule, *rest in rules(vtz))
    assert parsed == [
        ("DAYLIGHT", {"FREQ": ["YEARLY"], "BYMONTH": ["3"], "BYDAY": ["-1SU"]}, "T020000", "+0100", "+0200", "CEST"),
        ("STANDARD", {"FREQ": ["YEARLY"], "BYMONTH": ["10"], "BYDAY": ["-1SU"]}, "T030000", "+0200", "+0100", "CET"),
    ]
    assert min(start for _, start, *_ in rules(vtz)) <= "20090101T000000", "the rules must hold from 2009 on"


def test_new_york_rule_change_of_2007() -> None:
    parsed = [(kind, start, recur(rule)) for kind, start, rule, *_ in rules(made("America/New_York"))]
    daylight = [(start, rule["BYMONTH"], rule["BYDAY"], "UNTIL" in rule) for kind, start, rule in parsed
                if kind == "DAYLIGHT"]
    assert daylight == [(daylight[0][0], ["4"], ["1SU"], True), ("20070311T020000", ["3"], ["2SU"], False)]
    standard = [(start, rule["BYMONTH"], rule["BYDAY"], "UNTIL" in rule) for kind, start, rule in parsed
                if kind == "STANDARD"]
    assert standard == [(standard[0][0], ["10"], ["-1SU"], True), ("20071104T020000", ["11"], ["1SU"], False)]


def test_sydney_daylight_from_october_standard_from_april() -> None:
    current = [(kind, start, recur(rule), *rest) for kind, start, rule, *rest in rules(made("Australia/Sydney"))
               if start >= "2008"]
    assert current == [
        ("STANDARD", "20080406T030000", {"FREQ": ["YEARLY"], "BYMONTH": ["4"], "BYDAY": ["1SU"]}, "+1100", "+1000",
         "AEST"),
        ("DAYLIGHT", "20081005T020000", {"FREQ": ["YEARLY"], "BYMONTH": ["10"], "BYDAY": ["1SU"]}, "+1000", "+1100",
         "AEDT"),
    ]


def test_moscow_offset_changes_that_are_not_daylight_saving_time() -> None:
    later = [(kind, start, rule, *rest) for kind, start, rule, *rest in rules(made("Europe/Moscow"))
             if start >= "2011"]
    assert later == [("STANDARD", "20110327T020000", "", "+0300", "+0400", "MSK"),
                     ("STANDARD", "20141026T020000", "", "+0400", "+0300", "MSK")]


def test_zone_without_transitions_is_one_standard_from_the_start_of_the_span() -> None:
    assert rules(vtimezone("Asia/Tokyo", date(2020, 6, 1), date(2027, 1, 1))) == [
        ("STANDARD", "20190101T000000", "", "+0900", "+0900", "JST")]


@pytest.mark.parametrize("zone", ZONES)
def test_same_arguments_give_the_same_bytes(zone: str) -> None:
    data = make(zone).to_ical()
    ZoneInfo.clear_cache()
    assert make(zone).to_ical() == data


@pytest.mark.parametrize("zone", ZONES)
def test_output_is_valid_rrule_form(zone: str) -> None:
    data = made(zone).to_ical()
    assert b"RDATE" not in data
    assert data.startswith(f"BEGIN:VTIMEZONE\r\nTZID:{zone}\r\nX-LIC-LOCATION:{zone}\r\n".encode())
    assert data.endswith(b"END:VTIMEZONE\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n")[:-1]:
        assert 0 < len(line) <= 75, line
        name, parameters, value = Contentline(line.decode()).parts()
        assert not parameters or name == "DTSTART", line
        if name == "DTSTART":
            assert not value.endswith("Z") and len(value) == 15, "DTSTART of an observance is local wall time"
        if name == "RRULE":
            assert "UNTIL" not in value or value.split("UNTIL=")[1].split(";")[0].endswith("Z")
    starts = [part.decoded("DTSTART") for part in observances(icalendar.Timezone.from_ical(data))]
    assert starts == sorted(starts)


def test_unknown_zone_and_reversed_range_are_errors() -> None:
    with pytest.raises(ValueError):
        vtimezone("Europe/Stockholm", date(2030, 1, 1), date(2020, 1, 1))
    with pytest.raises(ValueError):
        vtimezone("Europe/Stockholm", date(2, 1, 1), date(2020, 1, 1))
    with pytest.raises(ZoneInfoNotFoundError):
        vtimezone("Europe/Nowhere", date(2020, 1, 1), date(2030, 1, 1))

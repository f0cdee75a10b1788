"""A VTIMEZONE for any IANA zone, read from zoneinfo's real transitions and written in the RRULE form.

Outlook shifts events and mislabels the zone when a VTIMEZONE lists its transitions as RDATEs (iCalcreator
#86, #106); the RRULE form (one observance per rule, `RRULE:FREQ=YEARLY;BYMONTH=…;BYDAY=…`) reads correctly in
Outlook and Google. So `vtimezone()` finds every transition of the zone around the events' years, describes
each one as a yearly rule (daylight or standard, month, n-th or last weekday, local wall time, offsets, name),
and merges consecutive years that share a description into one observance. The output is serialized by
`icalendar` like everything else in the feeds; nothing here writes iCalendar text.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

#: The scan for transitions steps this far and bisects to the second where the zone's state changes. Since
#: 1900 no two transitions of any tzdata zone are less than four days apart (checked over every zone), so a
#: step of one day misses none.
STEP = timedelta(days=1)
#: How far before the range the transition that set the range's first offset is looked for, and how far after
#: the range a rule must go on for its observance to be left open-ended (no UNTIL).
REACH = timedelta(days=366)
_SECOND = timedelta(seconds=1)
#: RFC 5545 weekday codes by `date.weekday()`.
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: A transition's yearly description but for the weekday's ordinal: daylight, month, weekday, seconds into the
#: local day, offset from and offset to (seconds), name.
_Key = tuple[bool, int, int, int, int, int, str]
_Observance = icalendar.TimezoneStandard | icalendar.TimezoneDaylight


@dataclass(frozen=True, slots=True)
class _State:
    """What a zone says about an instant: UTC offset, whether that is daylight-saving time (a non-zero `dst()`
    in zoneinfo), abbreviation."""

    offset: timedelta
    daylight: bool
    name: str


@dataclass(frozen=True, slots=True)
class _Transition:
    at: datetime  # the UTC instant from which `after` holds
    before: _State
    after: _State

    @property
    def wall(self) -> datetime:
        """The local wall time just before the transition, naive (the DTSTART of an observance, RFC 5545)."""
        return (self.at + self.before.offset).replace(tzinfo=None)

    @property
    def key(self) -> _Key:
        """Everything of the yearly description except the ordinal of the weekday."""
        wall = self.wall
        seconds = wall.hour * 3600 + wall.minute * 60 + wall.second
        return (self.after.daylight, wall.month, wall.weekday(), seconds, int(self.before.offset.total_seconds()),
                int(self.after.offset.total_seconds()), self.after.name)

    @property
    def ordinals(self) -> frozenset[int]:
        """The BYDAY ordinals that name the day of the transition in its month: n for the n-th weekday of the
        month, and -1 as well when it is the month's last such weekday."""
        wall = self.wall
        ordinals = {(wall.day - 1) // 7 + 1}
        if wall.day + 7 > calendar.monthrange(wall.year, wall.month)[1]:
            ordinals.add(-1)
        return frozenset(ordinals)


@dataclass(slots=True)
class _Run:
    """Transitions of consecutive years that one yearly rule describes."""

    transitions: list[_Transition]
    ordinals: frozenset[int]  # the BYDAY ordinals that fit every year of the run

    def accepts(self, transition: _Transition) -> bool:
        """Whether `transition` continues the run: the same description, the next year, a common ordinal."""
        last = self.transitions[-1]
        return (last.key == transition.key and last.wall.year + 1 == transition.wall.year
                and bool(self.ordinals & transition.ordinals))

    def byday(self) -> str:
        """`-1SU` for the last Sunday, `2SU` for the second; "last" when that describes every year of the run."""
        ordinal = -1 if -1 in self.ordinals else min(self.ordinals)
        return f"{ordinal}{_WEEKDAYS[self.transitions[0].wall.weekday()]}"


def _state(zone: ZoneInfo, moment: datetime) -> _State:
    local = moment.astimezone(zone)
    offset, dst, name = local.utcoffset(), local.dst(), local.tzname()
    if offset is None or name is None:  # pragma: no cover - ZoneInfo always answers
        raise ValueError(f"{zone.key} gives no offset for {moment}")
    return _State(offset, bool(dst), name)


def _transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[_Transition]:
    """Every change of offset, daylight flag or abbreviation in (start, end], in order, to the second."""
    found: list[_Transition] = []
    moment, state = start, _state(zone, start)
    while moment < end:
        step = min(moment + STEP, end)
        following = _state(zone, step)
        if following != state:
            low, high = moment, step  # state at low, something else at high: bisect to the second
            while high - low > _SECOND:
                middle = low + (high - low) // 2
                middle -= timedelta(microseconds=middle.microsecond)
                if _state(zone, middle) == state:
                    low = middle
                else:
                    high = middle
            found.append(_Transition(high, state, _state(zone, high)))
            moment, state = high, found[-1].after
        else:
            moment = step
    return found


def _runs(transitions: list[_Transition]) -> list[_Run]:
    """Group transitions into runs of consecutive years with one description, each run as long as it can be."""
    runs: list[_Run] = []
    latest: dict[_Key, _Run] = {}
    for transition in transitions:
        run = latest.get(transition.key)
        if run is not None and run.accepts(transition):
            run.transitions.append(transition)
            run.ordinals &= transition.ordinals
        else:
            run = latest[transition.key] = _Run([transition], transition.ordinals)
            runs.append(run)
    return runs


def _observance(state: _State, start: datetime, offset_from: timedelta) -> _Observance:
    """STANDARD or DAYLIGHT with `state`'s offset and name from the local wall time `start` (naive) on."""
    part: _Observance = icalendar.TimezoneDaylight() if state.daylight else icalendar.TimezoneStandard()
    part.add("tzname", state.name)
    part.add("dtstart", start)
    part.add("tzoffsetfrom", offset_from)
    part.add("tzoffsetto", state.offset)
    return part


def _until(transition: _Transition) -> datetime:
    """UNTIL of a rule whose last onset is `transition`: the onset's UTC instant, or, east of UTC, its local wall
    time read as UTC — later, still before the next year's onset, so the same onsets by RFC 5545, and also for
    readers that compare UNTIL with the local onset (dateutil's tzical, hence vobject, drops the `Z`)."""
    return max(transition.at, transition.wall.replace(tzinfo=UTC))


def vtimezone(zone: str, first: date, last: date) -> icalendar.Timezone:
    """The VTIMEZONE of the IANA zone `zone`, correct for every instant from 1 January of `first.year - 1` to
    31 December of `last.year + 1` (local time), built from zoneinfo's transitions in that span.

    Each observance (DAYLIGHT when the new offset is daylight-saving time, else STANDARD) is one yearly rule:
    DTSTART is the local wall time before its first transition; `RRULE:FREQ=YEARLY;BYMONTH=m;BYDAY=nDD` (n-th
    or, as -1, last weekday of the month) covers the following years, with UNTIL (UTC, at or just after the
    last onset, see `_until`) when the rule ends in the span, open-ended when it still holds in the year after
    the span. A rule of one year is DTSTART alone. The observance of the span's first offset starts at the
    transition that set it, when that came within a year before the span, else at the span's start (a zone
    without transitions, such as Asia/Tokyo, is one STANDARD). Observances are ordered by DTSTART: the same
    arguments give the same bytes.

    Raises `zoneinfo.ZoneInfoNotFoundError` for an unknown zone, ValueError when `last` is before `first` or
    a year is outside 4–9996 (the scan reaches two years beyond the events each way).
    """
    if last < first:
        raise ValueError(f"last ({last}) is before first ({first})")
    if first.year < 4 or last.year > 9996:
        raise ValueError(f"years {first.year}–{last.year}: only 4–9996 are supported")
    tz = ZoneInfo(zone)
    start = datetime(first.year - 1, 1, 1, tzinfo=tz).astimezone(UTC)
    end = datetime(last.year + 2, 1, 1, tzinfo=tz).astimezone(UTC)  # exclusive
    found = _transitions(tz, start - REACH, end + REACH)
    before = [t for t in found if t.at <= start]
    within = [t for t in found if t.at > start]
    parts: list[tuple[datetime, _Observance]] = []
    if before:
        within.insert(0, before[-1])
    else:
        state = _state(tz, start)
        wall = (start + state.offset).replace(tzinfo=None)
        parts.append((wall, _observance(state, wall, state.offset)))
    for run in _runs(within):
        inside = [t for t in run.transitions if t.at < end]
        if not inside:
            continue
        head = run.transitions[0]
        part = _observance(head.after, head.wall, head.before.offset)
        if len(inside) < len(run.transitions):
            rule = {"freq": "yearly", "bymonth": head.wall.month, "byday": run.byday()}
            part.add("rrule", rule)
        elif len(inside) > 1:
            rule = {"freq": "yearly", "until": _until(inside[-1]), "bymonth": head.wall.month, "byday": run.byday()}
            part.add("rrule", rule)
        parts.append((head.wall, part))
    vtz = icalendar.Timezone()
    vtz.add("tzid", zone)
    vtz.add("x-lic-location", zone)
    for _, part in sorted(parts, key=lambda item: item[0]):
        vtz.add_component(part)
    return vtz

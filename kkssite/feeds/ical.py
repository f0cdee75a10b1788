"""iCalendar feeds (RFC 5545 and RFC 7986), serialized with `icalendar`, which folds lines by octets and
escapes text; nothing here writes iCalendar syntax by hand.

Every activity's VEVENTs are built and serialized once per build (`EventCache`) and then shared by every feed
that holds the activity: a feed is its header (calendar properties and the one VTIMEZONE, serialized by
`icalendar`), the cached events, and END:VCALENDAR. So a build costs one serialization per activity plus a copy
per feed, not one per activity and feed; and `EventStore` keeps the serialized events between builds, so an
activity whose files did not change is not serialized again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

import icalendar

from ..cache import code_digest
from ..graph import Site
from ..model import DEADLINE_LABELS, Activity
from ..workers import fork_map
from .common import (
    STATUS_PREFIX,
    STOCKHOLM,
    Feed,
    FeedSet,
    Stamps,
    categories,
    deadline_end,
    deadline_title,
    description_text,
    location_text,
    page_url,
    session_texts,
)

PRODID = "-//KulturKraft Syd//kkssite//SV"
TZID = "Europe/Stockholm"
#: How often clients should re-read a subscription (REFRESH-INTERVAL and Outlook's X-PUBLISHED-TTL).
REFRESH = timedelta(hours=6)
END = b"END:VCALENDAR\r\n"
STATUS = {"scheduled": "CONFIRMED", "full": "CONFIRMED", "postponed": "TENTATIVE", "cancelled": "CANCELLED"}


def activity_ics(activity: Activity) -> str:
    """The single-activity download, beside the activity's page."""
    return f"aktiviteter/{activity.slug}/{activity.slug}.ics"


def deadline_ics(activity: Activity) -> str:
    """The download of an activity's registration deadline."""
    return f"aktiviteter/{activity.slug}/{activity.slug}-sista-dag.ics"


def session_uid(activity: Activity, index: int) -> str:
    """`uid` for a one-session activity; `uid-n` per session of a course, so no two events share a UID."""
    return activity.uid if len(activity.sessions) == 1 else f"{activity.uid}-{index}"


def deadline_uid(activity: Activity) -> str:
    return f"{activity.uid}-deadline"


def activity_uids(activity: Activity) -> list[str]:
    """Every UID an activity publishes: its sessions and, when it has one, its deadline."""
    uids = [session_uid(activity, s.index) for s in activity.sessions]
    if activity.registration is not None and activity.registration.deadline is not None:
        uids.append(deadline_uid(activity))
    return uids


@cache
def vtimezone() -> icalendar.Timezone:
    """Europe/Stockholm as one fixed RRULE-based VTIMEZONE (the EU rule: CEST from the last Sunday of March
    02:00, CET from the last Sunday of October 03:00, from 1970) — the form Outlook and Google read correctly,
    unlike the RDATE lists of Timezone.from_tzinfo()."""
    tz = icalendar.Timezone()
    tz.add("tzid", TZID)
    tz.add("x-lic-location", TZID)
    for kind, name, start, offsets, month in (
        (icalendar.TimezoneDaylight, "CEST", datetime(1970, 3, 29, 2, 0), (1, 2), 3),  # noqa: DTZ001 - local wall time by RFC 5545
        (icalendar.TimezoneStandard, "CET", datetime(1970, 10, 25, 3, 0), (2, 1), 10),  # noqa: DTZ001
    ):
        part = kind()
        part.add("tzname", name)
        part.add("dtstart", start)
        part.add("tzoffsetfrom", timedelta(hours=offsets[0]))
        part.add("tzoffsetto", timedelta(hours=offsets[1]))
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        tz.add_component(part)
    return tz


def calendar_head(feed: Feed | None) -> bytes:
    """VCALENDAR properties and the VTIMEZONE, without END:VCALENDAR. A subscription feed names itself (NAME,
    X-WR-CALNAME); a single-activity download does not, or Outlook would make a new calendar of it."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if feed is not None:
        cal.add("name", feed.calendar_name)
        cal.add("x-wr-calname", feed.calendar_name)
        cal.add("description", feed.description)
        cal.add("x-wr-caldesc", feed.description)
        cal.add("x-wr-timezone", TZID)  # a hint only: every time carries TZID and the VTIMEZONE below
        cal.add("url", feed.page_url)
        cal.add("source", feed.ics_url, parameters={"VALUE": "URI"})
        cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", icalendar.vDuration(REFRESH))
    cal.add_component(vtimezone())
    data = cal.to_ical()
    if not data.endswith(END):  # pragma: no cover - guards the splice below against a library change
        raise RuntimeError("icalendar did not end the calendar with END:VCALENDAR")
    return data[: -len(END)]


def assemble(head: bytes, events: Iterable[bytes]) -> bytes:
    return head + b"".join(events) + END


def _local(moment: datetime) -> datetime:
    return moment.astimezone(STOCKHOLM)


def _common(event: icalendar.Event, site: Site, activity: Activity, stamps: Stamps) -> None:
    """Properties every event of an activity shares."""
    url = page_url(site, activity)
    event.add("dtstamp", stamps.modified)
    event.add("last-modified", stamps.modified)
    if stamps.dated:
        event.add("created", stamps.created)
    event.add("sequence", stamps.sequence)
    event.add("url", url)
    event.add("status", STATUS[activity.status])
    event.add("class", "PUBLIC")
    event.add("categories", categories(activity))
    organiser = next((o for o in activity.organisers if o.email), None)
    if organiser is not None:
        event.add("organizer", icalendar.vCalAddress(f"mailto:{organiser.email}"), parameters={"CN": organiser.name})


class EventStore:
    """Serialized events kept between builds (in the build cache folder), reused for an activity when nothing
    it is made from changed: its file, its venue and organiser files, site.yml and vocabularies.yml, the
    kkssite code and the icalendar version. A file that cannot be read is ignored and rewritten."""

    def __init__(self, path: Path, trust: bool = True) -> None:
        self.path = path
        self.trust = trust
        self.entries: dict[str, tuple[str, bytes, bytes]] = {}  # slug → (key, events, deadline)
        self.settings = ""

    def load(self, settings: str) -> None:
        self.settings = settings
        if not self.trust or not self.path.is_file():
            return
        try:
            with self.path.open("rb") as file:
                stored_settings, entries = pickle.load(file)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
            return
        if stored_settings == settings and isinstance(entries, dict):
            self.entries = entries

    def save(self, entries: dict[str, tuple[str, bytes, bytes]]) -> None:
        if entries == self.entries:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        try:
            with temporary.open("wb") as file:
                pickle.dump((self.settings, entries), file, protocol=pickle.HIGHEST_PROTOCOL)
            temporary.replace(self.path)
        except OSError:
            temporary.unlink(missing_ok=True)


def settings_key(site: Site) -> str:
    """What every activity's events depend on besides its own files."""
    parts = (code_digest(), icalendar.__version__, repr(site.catalog.config), repr(site.catalog.vocabularies))
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def source_key(activity: Activity) -> str:
    """The files an activity's events are made from: the activity, its venue, its organisers."""
    digests = [activity.source.digest, activity.venue.source.digest if activity.venue else "-",
               *(o.source.digest for o in activity.organisers)]
    return hashlib.sha256("|".join(digests).encode()).hexdigest()


class EventCache:
    """Each activity's events, serialized once per build and reused by every feed that holds it."""

    def __init__(self, site: Site, stamps: dict[str, Stamps]) -> None:
        self.site = site
        self.stamps = stamps
        self._events: dict[str, bytes] = {}
        self._deadlines: dict[str, bytes] = {}

    def reuse(self, store: EventStore) -> None:
        """Take the events of unchanged activities from the previous build."""
        store.load(settings_key(self.site))
        for activity in self.site.catalog.activities:
            entry = store.entries.get(activity.slug)
            if entry is not None and entry[0] == source_key(activity):
                self._events[activity.slug], self._deadlines[activity.slug] = entry[1], entry[2]

    def keep(self, store: EventStore) -> None:
        store.save({a.slug: (source_key(a), self._events[a.slug], self._deadlines[a.slug])
                    for a in self.site.catalog.activities})

    def fill(self, activities: tuple[Activity, ...], workers: int) -> None:
        """Serialize the events of many activities up front, spread over `workers` forked processes."""
        todo = [a for a in activities if a.slug not in self._events]
        for slug, events, deadline in fork_map(_serialize, range(len(todo)), (self, todo), workers):
            self._events[slug] = events
            self._deadlines[slug] = deadline

    def events(self, activity: Activity) -> bytes:
        data = self._events.get(activity.slug)
        if data is None:
            data = self._events[activity.slug] = b"".join(e.to_ical() for e in self.session_events(activity))
        return data

    def deadline(self, activity: Activity) -> bytes:
        """The "Sista anmälningsdag" event, or b"" when the activity has no deadline."""
        data = self._deadlines.get(activity.slug)
        if data is None:
            event = self.deadline_event(activity)
            data = self._deadlines[activity.slug] = event.to_ical() if event is not None else b""
        return data

    def session_events(self, activity: Activity) -> list[icalendar.Event]:
        stamps = self.stamps[activity.slug]
        prefix = STATUS_PREFIX.get(activity.status, "")
        count = len(activity.sessions)
        description = description_text(activity, page_url(self.site, activity))
        location = location_text(activity)
        geo = activity.venue.coordinates if activity.venue and activity.mode != "online" else None
        events = []
        for session in activity.sessions:
            event = icalendar.Event()
            event.add("uid", session_uid(activity, session.index))
            event.add("summary", f"{prefix}{activity.title}" + (f" ({session.index}/{count})" if count > 1 else ""))
            if session.all_day:
                event.add("dtstart", session.start.date())
                event.add("dtend", (session.end or session.start).date() + timedelta(days=1))
            else:
                event.add("dtstart", _local(session.start))
                if session.end is not None:
                    event.add("dtend", _local(session.end))
            if count > 1:
                event.add("related-to", activity.uid)
            event.add("description", description)
            event.add("location", location)
            if geo is not None:
                event.add("geo", geo)
            _common(event, self.site, activity, stamps)
            events.append(event)
        return events

    def deadline_event(self, activity: Activity) -> icalendar.Event | None:
        registration = activity.registration
        if registration is None or registration.deadline is None:
            return None
        day: date = _local(registration.deadline).date()
        url = page_url(self.site, activity)
        first = session_texts(activity)[0]
        lines = [f"{DEADLINE_LABELS[registration.kind]}: {activity.title}.", f"Aktiviteten börjar {first}.",
                 *(p for p in (registration.url, registration.email) if p), "", f"Mer information: {url}"]
        if (registration.deadline.hour, registration.deadline.minute) != (23, 59):
            lines.insert(1, f"Senast klockan {_local(registration.deadline):%H.%M}.")
        event = icalendar.Event()
        event.add("uid", deadline_uid(activity))
        event.add("summary", deadline_title(activity))
        event.add("dtstart", day)
        event.add("dtend", deadline_end(day))
        event.add("transp", "TRANSPARENT")
        event.add("related-to", activity.uid)
        event.add("description", "\n".join(lines))
        _common(event, self.site, activity, self.stamps[activity.slug])
        return event


def _serialize(index: int, shared: tuple[EventCache, list[Activity]]) -> tuple[str, bytes, bytes]:
    cache, activities = shared
    activity = activities[index]
    return activity.slug, cache.events(activity), cache.deadline(activity)


def render_ical(site: Site, feeds: FeedSet, workers: int = 1, store: EventStore | None = None) -> dict[str, bytes]:
    """Every .ics of the site: one per feed (window) and one (plus its deadline) per activity (whole archive)."""
    cache = EventCache(site, feeds.stamps)
    if store is not None:
        cache.reuse(store)
    cache.fill(site.catalog.activities, workers)
    if store is not None:
        cache.keep(store)
    files: dict[str, bytes] = {}
    for feed in feeds:
        parts: list[bytes] = []
        for activity in feed.activities:
            parts.append(cache.events(activity))
            parts.append(cache.deadline(activity))
        files[feed.ics] = assemble(calendar_head(feed), parts)
    download_head = calendar_head(None)
    for activity in site.catalog.activities:
        files[activity_ics(activity)] = assemble(download_head, [cache.events(activity)])
        if deadline := cache.deadline(activity):
            files[deadline_ics(activity)] = assemble(download_head, [deadline])
    return files

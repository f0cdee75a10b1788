"""iCalendar feeds (RFC 5545 and RFC 7986), serialized with `icalendar`, which folds lines by octets and
escapes text; nothing here writes iCalendar syntax by hand.

Every activity's VEVENTs are serialized once (a fragment, kept by the build between builds while the activity
is unchanged) and shared by every feed that holds the activity: a feed is its header (calendar properties and
the one VTIMEZONE of the site's time zone), the events, and END:VCALENDAR.
"""

from __future__ import annotations

import contextlib
import functools
from datetime import date, timedelta
from typing import TYPE_CHECKING, TypeAlias

import icalendar

from ..graph import Stamps
from ..model import Activity
from ..workers import fork_start
from .timezone import vtimezone

if TYPE_CHECKING:
    from pathlib import Path

    from ..views import FeedView, Views
    from ..workers import Started

    #: A prefill begun (start_prefill): each language's views and activities to serialize, and the results to come.
    Prefilling: TypeAlias = tuple[list[tuple[Views, list[Activity]]], Started[tuple[int, int, bytes, bytes]]]

PRODID = "-//KulturKraft Syd//kkssite//SV"
#: How often clients should re-read a subscription (REFRESH-INTERVAL and Outlook's X-PUBLISHED-TTL).
REFRESH = timedelta(hours=6)
END = b"END:VCALENDAR\r\n"
STATUS = {"scheduled": "CONFIRMED", "full": "CONFIRMED", "postponed": "TENTATIVE", "cancelled": "CANCELLED"}


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


def zone(views: Views) -> bytes:
    """The VTIMEZONE of the site's time zone, for every year the content uses: serialized once per build, and
    kept in the build store while the zone and the years are the same (an edit build needs it for the feeds
    it makes again)."""

    def make() -> bytes:
        span = views.site.span
        years = [views.site.now.astimezone(views.site.tz).date()]
        if span is not None:
            years += [span[0].date(), span[1].date()]
        value = (views.config.timezone, min(years), max(years))
        views.fragments.preload([("vtimezone", value)])
        return views.fragment("vtimezone", value, lambda: _zone_bytes(*value))

    return views.once("vtimezone", make)


@functools.lru_cache(maxsize=4)
def _zone_bytes(zone: str, first: date, last: date) -> bytes:
    """The serialized VTIMEZONE (75 ms), made once per process for its arguments: for builds without a build
    store (`zone` takes it from the store, where there is one)."""
    return bytes(vtimezone(zone, first, last).to_ical())


def calendar_head(views: Views, feed: FeedView | None) -> bytes:
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
        cal.add("x-wr-caldesc", icalendar.vText(feed.description))
        cal.add("x-wr-timezone", views.config.timezone)  # a hint only: every time carries TZID and the VTIMEZONE
        cal.add("url", feed.page_url)
        cal.add("source", feed.ics_url, parameters={"VALUE": "URI"})
        cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", icalendar.vDuration(REFRESH))
    data: bytes = cal.to_ical()
    if not data.endswith(END):  # pragma: no cover - guards the splice below against a library change
        raise RuntimeError("icalendar did not end the calendar with END:VCALENDAR")
    return data[: -len(END)] + zone(views)


def _common(event: icalendar.Event, views: Views, activity: Activity, stamps: Stamps) -> None:
    """Properties every event of an activity shares."""
    event.add("dtstamp", stamps.modified)
    event.add("last-modified", stamps.modified)
    if stamps.dated:
        event.add("created", stamps.created)
    event.add("sequence", stamps.sequence)
    event.add("url", views.router.absolute(views.router.url(activity)))
    event.add("status", STATUS[activity.status])
    event.add("class", "PUBLIC")
    event.add("categories", views.w.categories(activity))
    organiser = next((o for o in activity.organisers if o.email), None)
    if organiser is not None:
        event.add("organizer", icalendar.vCalAddress(f"mailto:{organiser.email}"), parameters={"CN": organiser.name})


def description(views: Views, activity: Activity) -> str:
    """Plain text for DESCRIPTION: summary, facts, page URL (newlines are escaped by the serializer)."""
    w = views.w
    lines = [activity.summary, ""]
    lines += [w._("{label}: {value}", label=label, value=value) for label, value in w.facts(activity)]
    url = views.router.absolute(views.router.url(activity))
    lines += ["", w._("More information: {url}", url=url)]
    return "\n".join(lines)


def session_events(views: Views, activity: Activity) -> bytes:
    """The serialized VEVENTs of an activity's sessions."""

    def make() -> bytes:
        stamps = views.site.feeds.stamps[activity.slug]
        text = description(views, activity)
        location = views.w.location(activity)
        geo = activity.venue.coordinates if activity.venue and activity.mode != "online" else None
        parts = []
        for session in activity.sessions:
            event = icalendar.Event()
            event.add("uid", session_uid(activity, session.index))
            event.add("summary", views.session_title(activity, session))
            if session.all_day:
                event.add("dtstart", session.start.date())
                event.add("dtend", (session.end or session.start).date() + timedelta(days=1))
            else:
                event.add("dtstart", session.start.astimezone(views.site.tz))
                if session.end is not None:
                    event.add("dtend", session.end.astimezone(views.site.tz))
            if session.index > 1:  # the sessions of a course are siblings of its first (an event in every file)
                event.add("related-to", session_uid(activity, 1), parameters={"RELTYPE": "SIBLING"})
            event.add("description", text)
            event.add("location", location)
            if geo is not None:
                event.add("geo", geo)
            _common(event, views, activity, stamps)
            parts.append(event.to_ical())
        return b"".join(parts)

    return views.fragment("events", activity, make)


def deadline_event(views: Views, activity: Activity) -> bytes:
    """The serialized "Sista anmälningsdag" event, or b"" when the activity has no deadline (a fragment either
    way, so that a feed is assembled from the store without reading the activity)."""

    def make() -> bytes:
        registration = activity.registration
        if registration is None or registration.deadline is None:
            return b""
        w = views.w
        day: date = registration.deadline.astimezone(views.site.tz).date()
        url = views.router.absolute(views.router.url(activity))
        label = w.deadline_label(registration)
        lines = [w._("{label}: {title}.", label=label, title=activity.title),
                 w._("The activity begins {when}.", when=w.when(activity)),
                 *(p for p in (registration.url, registration.email) if p), "",
                 w._("More information: {url}", url=url)]
        local = registration.deadline.astimezone(views.site.tz)
        if (local.hour, local.minute) != (23, 59):
            lines.insert(1, w._("At {time} at the latest.", time=w.clock(local)))
        event = icalendar.Event()
        event.add("uid", deadline_uid(activity))
        event.add("summary", views.deadline_title(activity))
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        event.add("related-to", session_uid(activity, 1))  # the deadline belongs to the (first) event
        event.add("description", "\n".join(lines))
        _common(event, views, activity, views.site.feeds.stamps[activity.slug])
        return bytes(event.to_ical())

    return views.fragment("deadline", activity, make)


def feed_ics(feed: FeedView, views: Views) -> bytes:
    """A subscription: every activity of the feed window that the feed holds, with its deadline."""
    parts = [calendar_head(views, feed)]
    for activity in feed.activities:
        parts.append(session_events(views, activity))
        parts.append(deadline_event(views, activity))
    return b"".join(parts) + END


def activity_ics(activity: Activity, views: Views) -> bytes:
    """The single-activity download, beside the activity's page."""
    return calendar_head(views, None) + session_events(views, activity) + END


def deadline_ics(activity: Activity, views: Views) -> bytes:
    """The download of an activity's registration deadline."""
    return calendar_head(views, None) + deadline_event(views, activity) + END


def prefill(views: Views, activities: list[Activity], workers: int) -> None:
    """The events (and deadline events) of these activities, from the build store or serialized anew on
    `workers` processes: each activity's are serialized once and then shared by every feed that holds it."""
    finish_prefill(start_prefill([(views, activities)], workers))


def start_prefill(wanted: list[tuple[Views, list[Activity]]], workers: int, folder: Path | None = None) -> Prefilling:
    """`prefill` of each (views of a language, activities), begun: what the store has is taken now, the rest
    is serialized by workers forked now (workers.fork_start, their results in `folder`) while this process
    goes on; `finish_prefill` takes their results."""
    todo: list[tuple[Views, list[Activity]]] = []
    for views, activities in wanted:
        fragments = views.fragments
        fragments.preload([(kind, a) for a in activities for kind in ("events", "deadline")])
        todo.append((views, [a for a in activities
                             if not fragments.has("events", a) or not fragments.has("deadline", a)]))
    items = [(n, i) for n, (_views, activities) in enumerate(todo) for i in range(len(activities))]
    return todo, fork_start(_serialize, items, todo, workers, folder)


def finish_prefill(started: Prefilling) -> None:
    todo, results = started
    with contextlib.closing(results):
        for n, index, events, deadline in results:
            views, activities = todo[n]
            views.fragments.put("events", activities[index], events)
            views.fragments.put("deadline", activities[index], deadline)


def _serialize(item: tuple[int, int],
               shared: list[tuple[Views, list[Activity]]]) -> tuple[int, int, bytes, bytes]:
    n, index = item
    views, activities = shared[n]
    return n, index, session_events(views, activities[index]), deadline_event(views, activities[index])

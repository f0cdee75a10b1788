"""What every feed format shares: the feed window, each activity's stamps (DTSTAMP, SEQUENCE), the list of
feeds (the whole site, every facet term, every profession × region) and the plain Swedish texts of an activity.

Nothing here reads the clock: every date comes from the content (`published`, `updated`, `changes`) or from the
build's `now`, which only decides what is upcoming.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from .. import text
from ..graph import Site, is_upcoming
from ..model import DEADLINE_LABELS, STATUSES, Activity

STOCKHOLM = ZoneInfo("Europe/Stockholm")
#: Feeds hold every upcoming activity plus those that ended within this many months (the archive stays in HTML
#: and in aktiviteter.json).
WINDOW_MONTHS = 6
#: RSS and JSON Feed items per feed, newest `published` first.
FEED_ITEMS = 50
#: DTSTAMP of an activity that has neither `published` nor `updated` (a fixed date, never the clock).
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
#: Added to SEQUENCE so that a status change alone already raises it.
STATUS_RANK = {"scheduled": 0, "full": 0, "postponed": 1, "cancelled": 2}
STATUS_PREFIX = {"cancelled": "INSTÄLLT: ", "postponed": "UPPSKJUTET: "}
WINDOW_TEXT = "kommande aktiviteter och de som ägt rum de senaste sex månaderna"


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=STOCKHOLM)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the 31st becomes the month's last day)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month + 1, day=day)
        except ValueError:
            day -= 1


@dataclass(frozen=True, slots=True)
class Stamps:
    """When an activity was published and last changed (UTC), and its iCalendar SEQUENCE."""

    created: datetime
    modified: datetime
    sequence: int
    dated: bool  # False when the content gives neither `published` nor `updated`


def stamps_of(activity: Activity) -> Stamps:
    """SEQUENCE = whole minutes from `published` (00:00 local) to the latest of `updated` and the newest
    `changes` date, plus 1 for postponed or 2 for cancelled. It grows every time an editor moves `updated`
    forward, so calendars replace the event they hold; without `published` it counts from 2000-01-01."""
    moments = [m for m in (activity.updated, *(local_midnight(c.date) for c in activity.changes)) if m]
    published = local_midnight(activity.published) if activity.published else None
    changed = max(moments) if moments else None
    created = published or changed or EPOCH
    modified = max(changed, created) if changed else created
    base = published or EPOCH
    minutes = max(0, int((modified - base).total_seconds() // 60)) if changed else 0
    return Stamps(created.astimezone(UTC), modified.astimezone(UTC), minutes + STATUS_RANK.get(activity.status, 0),
                  bool(published or changed))


# --- feeds ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Feed:
    """One filter of the calendar with its iCal and RSS files: the whole site, a facet term, or a profession in
    a region. `activities` is the feed window, by start."""

    folder: str  # "" (site root), "yrken/ljudtekniker/", "yrken/ljustekniker/blekinge/"
    name: str  # "Alla aktiviteter", "Ljudtekniker", "Ljustekniker i Blekinge"
    description: str
    page: str  # site-relative URL of the HTML page the feed belongs to
    activities: tuple[Activity, ...]
    base_url: str
    site_title: str

    @property
    def ics(self) -> str:
        return f"{self.folder}kalender.ics"

    @property
    def rss(self) -> str:
        return f"{self.folder}feed.xml"

    @property
    def calendar_name(self) -> str:
        return f"{self.site_title} – {self.name}"

    @property
    def ics_url(self) -> str:
        return self.base_url + self.ics

    @property
    def rss_url(self) -> str:
        return self.base_url + self.rss

    @property
    def page_url(self) -> str:
        return self.base_url + self.page


@dataclass(frozen=True, slots=True)
class FeedSet:
    """Every feed of one build, plus the window and the stamps of every activity."""

    site: Feed
    terms: dict[tuple[str, str], Feed]  # (facet key, term slug) → feed
    combinations: dict[tuple[str, str], Feed]  # (profession slug, region slug) → feed
    window: tuple[Activity, ...]
    stamps: dict[str, Stamps]  # activity slug → stamps

    def __iter__(self) -> Iterator[Feed]:
        yield self.site
        yield from self.terms.values()
        yield from self.combinations.values()

    def term(self, facet: str, slug: str) -> Feed | None:
        return self.terms.get((facet, slug))


def window_of(site: Site) -> tuple[Activity, ...]:
    """Upcoming activities and those that ended within the last WINDOW_MONTHS, by start."""
    cutoff = months_before(site.now, WINDOW_MONTHS)
    return tuple(a for a in site.catalog.activities if is_upcoming(a, cutoff))


def feed_set(site: Site) -> FeedSet:
    """The feeds of a site, computed once per site (templates ask for them on every page)."""
    return site.derive("feed_set", _build_feed_set)


def _build_feed_set(site: Site) -> FeedSet:
    config = site.config
    window = window_of(site)
    in_window = {a.slug for a in window}
    order = {a.slug: i for i, a in enumerate(site.catalog.activities)}

    def feed(folder: str, name: str, description: str, page: str, activities: list[Activity]) -> Feed:
        chosen = sorted((a for a in activities if a.slug in in_window), key=lambda a: order[a.slug])
        return Feed(folder, name, description, page, tuple(chosen), config.base_url, config.title)

    whole = feed("", "Alla aktiviteter", f"{config.title}: {WINDOW_TEXT}.", "aktiviteter/", list(window))
    terms: dict[tuple[str, str], Feed] = {}
    for facet in site.facets:
        for tp in facet.terms:
            name = tp.term.plural if facet.spec.key == "typer" and tp.term.plural else tp.term.name
            description = f"{config.title}, {facet.spec.singular.lower()} {tp.term.name}: {WINDOW_TEXT}."
            terms[(facet.spec.key, tp.term.slug)] = feed(tp.url, name, description, tp.url,
                                                        [*tp.upcoming, *tp.past])
    combinations: dict[tuple[str, str], Feed] = {}
    regions = site.catalog.vocabularies.regions
    for (key, slug), tp in site.term_pages.items():
        if key != "yrken":
            continue
        for region in regions.values():
            activities = [a for a in (*tp.upcoming, *tp.past) if a.region == region.slug]
            description = f"{config.title}, yrke {tp.term.name} i {region.name}: {WINDOW_TEXT}."
            combinations[(slug, region.slug)] = feed(f"{tp.url}{region.slug}/", f"{tp.term.name} i {region.name}",
                                                     description, tp.url, activities)
    stamps = {a.slug: stamps_of(a) for a in site.catalog.activities}
    return FeedSet(whole, terms, combinations, window, stamps)


def feed_order(feed: Feed, stamps: dict[str, Stamps], limit: int = FEED_ITEMS) -> list[Activity]:
    """The newest activities of a feed by `published` (then start, then slug), at most `limit`."""
    ranked = sorted(feed.activities, key=lambda a: (-stamps[a.slug].created.timestamp(), a.start, a.slug))
    return ranked[:limit]


def last_change(activities: tuple[Activity, ...] | list[Activity], stamps: dict[str, Stamps],
                fallback: datetime = EPOCH) -> datetime:
    """The newest `modified` stamp among activities: the content's own "last build date"."""
    return max((stamps[a.slug].modified for a in activities), default=fallback)


# --- texts ------------------------------------------------------------------------------------------------


def page_url(site: Site, activity: Activity) -> str:
    return f"{site.config.base_url}aktiviteter/{activity.slug}/"


def place_name(activity: Activity) -> str:
    """The city, or "Digitalt" for an online activity."""
    if activity.mode == "online" or activity.city is None:
        return "Digitalt"
    return activity.city.name


def location_text(activity: Activity) -> str:
    """Venue and address, free-text venue and city, or "Digitalt" (LOCATION, Google/Outlook links)."""
    if activity.mode == "online":
        return "Digitalt"
    parts: list[str] = []
    if activity.venue:
        venue = activity.venue
        parts += [venue.name, *(p for p in (venue.address,) if p)]
        parts.append(" ".join(p for p in (venue.postal_code, venue.city.name) if p))
    elif activity.venue_text:
        parts.append(activity.venue_text)
        if activity.city and activity.city.name not in activity.venue_text:
            parts.append(activity.city.name)
    elif activity.city:
        parts.append(activity.city.name)
    place = ", ".join(parts) or "Plats meddelas senare"
    return f"{place} (går också att följa digitalt)" if activity.mode == "hybrid" else place


def when_short(activity: Activity) -> str:
    first = activity.sessions[0]
    return text.span_short(first.start.astimezone(STOCKHOLM),
                           first.end.astimezone(STOCKHOLM) if first.end else None, first.all_day)


def headline(activity: Activity) -> str:
    """'tis 2 mars 18.00 · Malmö – Ljusdesign för scen', prefixed INSTÄLLT/UPPSKJUTET when so."""
    return f"{STATUS_PREFIX.get(activity.status, '')}{when_short(activity)} · {place_name(activity)} – " \
           f"{activity.title}"


def price_text(activity: Activity) -> str | None:
    price = activity.price
    if price is None:
        return None
    shown = text.kronor(price.amount) if price.amount is not None else price.text or ""
    if activity.no_show_fee:
        shown += f" (avgift vid uteblivande utan avanmälan: {text.kronor(activity.no_show_fee)})"
    return shown.replace("\u00a0", " ")


def session_texts(activity: Activity) -> list[str]:
    return [text.span(s.start.astimezone(STOCKHOLM), s.end.astimezone(STOCKHOLM) if s.end else None, s.all_day)
            for s in activity.sessions]


def registration_text(activity: Activity) -> str | None:
    reg = activity.registration
    if reg is None:
        return None
    parts = ["Ansökan med urval" if reg.kind == "ansökan" else "Anmälan"]
    if reg.deadline:
        parts.append(f"{DEADLINE_LABELS[reg.kind].lower()} {text.deadline_text(reg.deadline.astimezone(STOCKHOLM))}")
    parts += [p for p in (reg.url, reg.email) if p]
    return ", ".join(parts)


def facts(activity: Activity) -> list[tuple[str, str]]:
    """The labelled facts shown in every feed's description, in reading order."""
    rows: list[tuple[str, str]] = []
    if activity.status != "scheduled":
        rows.append(("Status", STATUSES[activity.status] + (f". {activity.status_note}" if activity.status_note
                                                             else "")))
    sessions = session_texts(activity)
    if len(sessions) == 1:
        rows.append(("När", sessions[0]))
    else:
        rows.append((f"Tillfällen ({len(sessions)})", "; ".join(f"{i}) {s}" for i, s in enumerate(sessions, 1))))
    rows.append(("Var", location_text(activity)))
    if (price := price_text(activity)) is not None:
        rows.append(("Pris", price))
    if (registration := registration_text(activity)) is not None:
        rows.append(("Ansökan" if activity.registration and activity.registration.kind == "ansökan" else "Anmälan",
                     registration))
    if activity.organisers:
        rows.append(("Arrangör", ", ".join(o.name for o in activity.organisers)))
    for change in activity.changes:
        rows.append((f"Ändrat {text.day_medium(change.date)}", change.text))
    return rows


def description_text(activity: Activity, url: str) -> str:
    """Plain text for iCal DESCRIPTION: summary, facts, page URL (newlines are escaped by the serializer)."""
    lines = [activity.summary, ""]
    lines += [f"{label}: {value}" for label, value in facts(activity)]
    lines += ["", f"Mer information: {url}"]
    return "\n".join(lines)


def description_html(activity: Activity, url: str) -> str:
    """A short HTML description for RSS and JSON Feed (every value escaped)."""
    rows = "".join(f"<li><strong>{escape(label)}:</strong> {escape(value)}</li>" for label, value in facts(activity))
    return str(Markup("<p>{}</p><ul>{}</ul><p><a href=\"{}\">Läs mer på webbplatsen</a></p>")
               .format(activity.summary, Markup(rows), url))


def categories(activity: Activity) -> list[str]:
    """Type, professions (or "Alla yrken"), art forms and city: CATEGORIES, RSS category, JSON tags."""
    names = [activity.type.name]
    names += ["Alla yrken"] if activity.all_professions else [t.name for t in activity.professions]
    names += [t.name for t in activity.art_forms]
    if activity.city:
        names.append(activity.city.name)
    seen: list[str] = []
    for name in names:
        if name not in seen:
            seen.append(name)
    return seen


def deadline_title(activity: Activity) -> str:
    """'Sista anmälningsdag: <title>', marked when the activity is cancelled, postponed or fully booked."""
    assert activity.registration is not None
    prefix = "FULLBOKAD: " if activity.status == "full" else STATUS_PREFIX.get(activity.status, "")
    return f"{prefix}{DEADLINE_LABELS[activity.registration.kind]}: {activity.title}"


def deadline_end(day: date) -> date:
    return day + timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ItemText:
    """The per-activity texts of an RSS item, built once and shared by every feed that lists the activity."""

    title: str
    description: str
    categories: list[str]
    start: str
    end: str
    location: str


class TextCache:
    """ItemText per activity slug, for one build."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._items: dict[str, ItemText] = {}

    def __call__(self, activity: Activity) -> ItemText:
        found = self._items.get(activity.slug)
        if found is None:
            first, last = activity.sessions[0], activity.sessions[-1]
            start = first.start.date().isoformat() if first.all_day else first.start.astimezone(STOCKHOLM).isoformat()
            end_moment = last.end or last.start
            end = end_moment.date().isoformat() if last.all_day else end_moment.astimezone(STOCKHOLM).isoformat()
            found = self._items[activity.slug] = ItemText(
                headline(activity), description_html(activity, page_url(self.site, activity)),
                categories(activity), start, end, location_text(activity))
        return found

"""Stage 3, site graph: the `Catalog` and `now` → `Site`: facets and their terms, upcoming and past listings,
archive years, deadlines, the cross-links (needs ↔ activities, organisers, venues), each need's path (needs.py),
each activity's state at `now` (its card), the month calendar, the feeds (which activities each holds) and the
statistics (stats.py).

The facets come from the facet table (facets.py). The Site is language-neutral and frozen: texts are worded per
language when pages and feeds are made (wording.py), addresses come from the route table (routes.py). Every
ordering is explicit, so the same catalog and `now` always give the same site.
"""

from __future__ import annotations

import calendar
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from .facets import FACETS, Facet, parent_of, vocabulary
from .model import Activity, Catalog, Need, Organisation, Page, Session, SiteConfig, Term, Venue
from .needs import NeedPath, need_paths
from .stats import Statistics, compute

P = TypeVar("P")

#: How far ahead the home page's "Sista anmälningsdag snart" list looks.
DEADLINE_WINDOW = timedelta(days=30)
#: How close a deadline must be for the "… snart" badge on an activity's card.
DEADLINE_SOON = timedelta(days=7)
#: Content pages linked from every page's footer when they exist (accessibility statement, privacy, contact).
FOOTER_PAGES = ("tillganglighet", "integritet", "kontakt")
#: Feeds hold every upcoming activity plus those that ended within this many months (the archive stays in HTML
#: and in aktiviteter.json).
WINDOW_MONTHS = 6
#: RSS and JSON Feed items per feed, newest `published` first.
FEED_ITEMS = 50
#: The stamp of an activity that has neither `published` nor `updated` (a fixed date, never the clock).
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
#: Added to SEQUENCE so that a status change alone already raises it.
STATUS_RANK = {"scheduled": 0, "full": 0, "postponed": 1, "cancelled": 2}


@dataclass(frozen=True, slots=True)
class TermPage:
    """A facet term with its activities: the data of /<facet>/<slug>/ and its past-activities page."""

    facet: Facet
    term: Term
    upcoming: tuple[Activity, ...]
    past: tuple[Activity, ...]  # newest first

    @property
    def count(self) -> int:
        return len(self.upcoming)


@dataclass(frozen=True, slots=True)
class FacetIndex:
    """All terms of one facet, grouped by the terms of its `group_by` facet (or in one group of None)."""

    facet: Facet
    terms: tuple[TermPage, ...]
    groups: tuple[tuple[Term | None, tuple[TermPage, ...]], ...]


@dataclass(frozen=True, slots=True)
class Related:
    """Upcoming and past activities tied to one record (a need, an organisation, a venue)."""

    upcoming: tuple[Activity, ...]
    past: tuple[Activity, ...]

    @property
    def count(self) -> int:
        return len(self.upcoming) + len(self.past)


@dataclass(frozen=True, slots=True)
class Card:
    """An activity's state at `now`, as its card and the filter's index show it."""

    status: str  # scheduled, cancelled, postponed, full
    deadline: datetime | None  # an open registration deadline
    soon: bool  # that deadline is within DEADLINE_SOON
    past: bool
    draft: bool

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


@dataclass(frozen=True, slots=True)
class Stamps:
    """When an activity was published and last changed (UTC), and its iCalendar SEQUENCE."""

    created: datetime
    modified: datetime
    sequence: int
    dated: bool  # False when the content gives neither `published` nor `updated`


@dataclass(frozen=True, slots=True)
class Feed:
    """One filter of the calendar with a calendar and an RSS feed of its own: the whole site (no facet), a facet
    term, or a term combined with a term of the facet its facet crosses (a profession in a region)."""

    facet: Facet | None
    term: Term | None
    cross: Term | None  # the region of a profession × region feed
    activities: tuple[Activity, ...]  # the feed window's, by start

    @property
    def count(self) -> int:
        return len(self.activities)


@dataclass(frozen=True, slots=True)
class FeedSet:
    """Every feed of the site, the feed window and every activity's stamps."""

    site: Feed
    terms: dict[tuple[str, str], Feed]  # (facet key, term slug) → feed
    crossed: dict[tuple[str, str, str], Feed]  # (facet key, term slug, crossed term slug) → feed
    window: tuple[Activity, ...]
    stamps: dict[str, Stamps]  # activity slug → stamps
    changed: tuple[Activity, ...]  # of the window, the cancelled or postponed ones and those with a change log

    def __iter__(self) -> Iterator[Feed]:
        yield self.site
        yield from self.terms.values()
        yield from self.crossed.values()

    def newest(self, feed: Feed, limit: int = FEED_ITEMS) -> list[Activity]:
        """The newest activities of a feed by `published` (then start, then slug), at most `limit`."""
        ranked = sorted(feed.activities, key=lambda a: (-self.stamps[a.slug].created.timestamp(), a.start, a.slug))
        return ranked[:limit]

    def last_change(self, activities: Iterable[Activity], fallback: datetime = EPOCH) -> datetime:
        """The newest `modified` stamp among activities: the content's own "last build date"."""
        return max((self.stamps[a.slug].modified for a in activities), default=fallback)


@dataclass(frozen=True, slots=True)
class Pager(Generic[P]):
    """One page of a paginated listing: its items, its number, and the URL of every page of the listing."""

    items: tuple[P, ...]
    number: int
    urls: tuple[str, ...]  # site-relative URL of page 1, 2, …

    @property
    def count(self) -> int:
        return len(self.urls)

    @property
    def url(self) -> str:
        return self.urls[self.number - 1]

    @property
    def previous(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.urls[self.number] if self.number < self.count else None


def paginate(items: tuple[P, ...], per_page: int, url_of: Callable[[int], str],
             only: Container[int] | None = None) -> tuple[Pager[P], ...]:
    """Split a listing into pages; an empty listing still has one (empty) page. `url_of(n)` is page n's URL.
    `only`: the numbers of the pages wanted (a patch makes one or two of a listing's hundred); every page still
    has the URLs of all."""
    count = max(1, -(-len(items) // per_page))
    urls = tuple(url_of(n) for n in range(1, count + 1))
    return tuple(Pager(items[i * per_page:(i + 1) * per_page], i + 1, urls) for i in range(count)
                 if only is None or i + 1 in only)


# --- the month calendar: /kalender/<yyyy>/<mm>/ ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthRef:
    """A month of the calendar, as a link target."""

    year: int
    month: int

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)


@dataclass(frozen=True, slots=True)
class DayEntry:
    """One activity on one day: a session, or one day of a session that spans several.

    `part` says which part of the session the day shows: "day" (an all-day session, or a middle day of a
    longer one), "span" (start to end on this day), "start" (it starts this day and goes on), "end" (it ends
    this day)."""

    activity: Activity
    session: Session
    part: str


@dataclass(frozen=True, slots=True)
class CalendarDay:
    date: date
    entries: tuple[DayEntry, ...]
    today: bool


@dataclass(frozen=True, slots=True)
class CalendarWeek:
    number: int  # ISO 8601 week number (Swedish "vecka")
    days: tuple[CalendarDay | None, ...]  # Monday to Sunday; None for days of the neighbouring months


@dataclass(frozen=True, slots=True)
class CalendarMonth:
    """A month of the calendar: its entries by day, its neighbours, and the nearest months that have activities.
    The grid of weeks is made when the month's page is (`weeks`): most months of a long archive are never
    re-made, and the site graph is kept between builds."""

    ref: MonthRef
    entries: dict[date, tuple[DayEntry, ...]]  # the days that have activities, each day's entries in order
    today: date | None  # `now`'s date when it falls in this month
    previous: MonthRef | None
    next: MonthRef | None
    earlier: MonthRef | None  # the closest earlier month with activities
    later: MonthRef | None  # the closest later month with activities
    current: MonthRef  # the month of `now`
    activities: tuple[Activity, ...]  # every activity shown, by start

    @property
    def year(self) -> int:
        return self.ref.year

    @property
    def month(self) -> int:
        return self.ref.month

    @property
    def first(self) -> date:
        return self.ref.first

    @property
    def weeks(self) -> tuple[CalendarWeek, ...]:
        """The month grid: weeks from Monday, None for the days of the neighbouring months."""
        grid = calendar.Calendar(firstweekday=calendar.MONDAY)
        return tuple(
            CalendarWeek(week[0].isocalendar().week, tuple(
                None if day.month != self.ref.month else CalendarDay(day, self.entries.get(day, ()), day == self.today)
                for day in week))
            for week in grid.monthdatescalendar(self.ref.year, self.ref.month))

    @property
    def days(self) -> tuple[CalendarDay, ...]:
        """The days that have activities (and today), in order: the list view."""
        return tuple(d for w in self.weeks for d in w.days if d is not None and (d.entries or d.today))


@dataclass(frozen=True, slots=True)
class Site:
    """What the route table makes pages and feeds of. Nothing is re-parsed or re-sorted after this point."""

    catalog: Catalog
    now: datetime
    tz: ZoneInfo
    upcoming: tuple[Activity, ...]  # soonest first
    past: tuple[Activity, ...]  # newest first
    facets: tuple[FacetIndex, ...]
    term_pages: dict[tuple[str, str], TermPage]  # (facet key, slug) → page
    archive: tuple[tuple[int, tuple[Activity, ...]], ...]  # newest year first; activities by start
    deadlines: tuple[Activity, ...]  # registration closing within DEADLINE_WINDOW, soonest first
    by_need: dict[str, Related]
    need_paths: dict[str, NeedPath]  # need slug → where it stands: its activities and what they led to
    statistics: Statistics
    by_organisation: dict[str, Related]
    by_venue: dict[str, Related]
    menu: tuple[Page, ...]
    footer: tuple[Page, ...]  # FOOTER_PAGES that exist, in that order
    cards: dict[str, Card]  # activity slug → its state at `now`
    months: tuple[CalendarMonth, ...]  # /kalender/<yyyy>/<mm>/, oldest first
    feeds: FeedSet
    timeline: Timeline
    span: tuple[datetime, datetime] | None  # the first start and the last end of any activity (the feeds' years)

    @property
    def config(self) -> SiteConfig:
        return self.catalog.config

    def facet(self, key: str) -> FacetIndex:
        return next(f for f in self.facets if f.facet.key == key)

    def term_page(self, key: str, term: Term) -> TermPage:
        return self.term_pages[(key, term.slug)]

    @property
    def current_month(self) -> CalendarMonth:
        """The month of `now` (always generated)."""
        local = self.now.astimezone(self.tz)
        return next(m for m in self.months if (m.year, m.month) == (local.year, local.month))


def open_deadline(activity: Activity) -> datetime | None:
    """The registration deadline of an activity one can still join (not cancelled or full), if it has one."""
    r = activity.registration
    return r.deadline if r and r.deadline and activity.status not in ("cancelled", "full") else None


def deadline_open(activity: Activity, now: datetime) -> bool:
    """A registration deadline that has not passed, for an activity one can still join."""
    deadline = open_deadline(activity)
    return deadline is not None and deadline >= now


def upcoming_until(activity: Activity) -> datetime:
    """When an activity stops being upcoming: when it has ended; all-day ones at the end of their last day."""
    last = activity.sessions[-1]
    return (last.end or last.start) + (timedelta(days=1) if last.all_day else timedelta(0))


def is_upcoming(activity: Activity, now: datetime) -> bool:
    return upcoming_until(activity) > now


@dataclass(frozen=True, slots=True)
class Timeline:
    """The instants at which this module's judgements about `now` change: when each activity stops being
    upcoming, and the open registration deadlines. Every such judgement is monotonic in `now` (an activity
    that has ended stays ended), so two moments with the same counts on both sides of every boundary, and the
    same local date (the calendar's "today", the current month and year), give the same Site: the build uses
    `signature` to keep the previous build's site graph when only the time moved on."""

    ends: tuple[datetime, ...]  # sorted
    deadlines: tuple[datetime, ...]  # sorted

    @classmethod
    def of(cls, activities: Iterable[Activity]) -> Timeline:
        ends, deadlines = [], []
        for activity in activities:
            ends.append(upcoming_until(activity))
            if (deadline := open_deadline(activity)) is not None:
                deadlines.append(deadline)
        return cls(tuple(sorted(ends)), tuple(sorted(deadlines)))

    def signature(self, now: datetime, tz: ZoneInfo) -> tuple[object, ...]:
        ends, deadlines = self.ends, self.deadlines
        return (now.astimezone(tz).date(),
                bisect_right(ends, now),  # ended (is_upcoming)
                bisect_right(ends, months_before(now, WINDOW_MONTHS)),  # out of the feed window (feed_set)
                bisect_left(deadlines, now),  # deadline passed (deadline_open)
                bisect_right(deadlines, now + DEADLINE_SOON),  # deadline soon (card_of)
                bisect_right(deadlines, now + DEADLINE_WINDOW))  # deadline within the home page's list


def card_of(activity: Activity, now: datetime) -> Card:
    """An activity's state at `now`: status, an open deadline and whether it is close, past, draft."""
    r = activity.registration
    deadline = r.deadline if r is not None and deadline_open(activity, now) else None
    soon = deadline is not None and deadline <= now + DEADLINE_SOON
    return Card(activity.status, deadline, soon, not is_upcoming(activity, now), activity.draft)


def build_site(catalog: Catalog, now: datetime) -> Site:
    """Derive every listing and cross-link from the catalog, judging upcoming against `now`."""
    tz = ZoneInfo(catalog.config.timezone)
    upcoming = tuple(a for a in catalog.activities if is_upcoming(a, now))
    past = tuple(reversed([a for a in catalog.activities if not is_upcoming(a, now)]))
    facets = tuple(_facet_index(facet, catalog, upcoming, past) for facet in FACETS)
    term_pages = {(f.facet.key, tp.term.slug): tp for f in facets for tp in f.terms}

    years: dict[int, list[Activity]] = {}
    for activity in catalog.activities:
        years.setdefault(activity.start.astimezone(tz).year, []).append(activity)
    archive = tuple((year, tuple(years[year])) for year in sorted(years, reverse=True))

    closing = {a.slug: r.deadline for a in upcoming if deadline_open(a, now) and (r := a.registration) is not None
               and r.deadline is not None and r.deadline <= now + DEADLINE_WINDOW}
    deadlines = tuple(sorted((a for a in upcoming if a.slug in closing), key=lambda a: (closing[a.slug], a.slug)))

    def related(records: dict[str, Need] | dict[str, Organisation] | dict[str, Venue],
                links: Callable[[Activity], Iterable[str]]) -> dict[str, Related]:
        ahead, behind = _linking(records, upcoming, links), _linking(records, past, links)
        return {slug: Related(ahead[slug], behind[slug]) for slug in records}

    menu = tuple(sorted((p for p in catalog.pages.values() if p.menu is not None), key=lambda p: (p.menu, p.slug)))
    by_need = related(catalog.needs, lambda a: [n.slug for n in a.needs])
    paths = need_paths(catalog, by_need, tz)
    return Site(
        catalog=catalog, now=now, tz=tz, upcoming=upcoming, past=past, facets=facets, term_pages=term_pages,
        archive=archive, deadlines=deadlines,
        by_need=by_need,
        need_paths=paths, statistics=compute(catalog, past, upcoming, paths, tz),
        by_organisation=related(catalog.organisations, lambda a: [o.slug for o in a.organisers]),
        by_venue=related(catalog.venues, lambda a: [a.venue.slug] if a.venue else []),
        menu=menu,
        footer=tuple(catalog.pages[slug] for slug in FOOTER_PAGES if slug in catalog.pages),
        cards={a.slug: card_of(a, now) for a in catalog.activities},
        months=calendar_months(catalog, now, tz),
        feeds=feed_set(catalog, now, tz, term_pages),
        timeline=Timeline.of(catalog.activities),
        span=(catalog.activities[0].start, max(a.end for a in catalog.activities)) if catalog.activities else None,
    )


def _linking(records: Iterable[str], activities: tuple[Activity, ...],
             links: Callable[[Activity], Iterable[str]]) -> dict[str, tuple[Activity, ...]]:
    """The activities that link each record (by its slug), in their order: one pass over the activities (a pass
    per record cost records × activities)."""
    found: dict[str, list[Activity]] = {slug: [] for slug in records}
    for activity in activities:
        for slug in dict.fromkeys(links(activity)):  # (a record linked twice lists the activity once)
            if (linking := found.get(slug)) is not None:
                linking.append(activity)
    return {slug: tuple(linking) for slug, linking in found.items()}


def _facet_index(facet: Facet, catalog: Catalog, upcoming: tuple[Activity, ...],
                 past: tuple[Activity, ...]) -> FacetIndex:
    vocabularies = catalog.vocabularies
    terms = vocabulary(facet, vocabularies)
    up: dict[str, list[Activity]] = {slug: [] for slug in terms}
    old: dict[str, list[Activity]] = {slug: [] for slug in terms}
    for bucket, activities in ((up, upcoming), (old, past)):
        for activity in activities:
            for term in facet.terms_of(activity, vocabularies):
                bucket[term.slug].append(activity)
    pages = tuple(TermPage(facet, term, tuple(up[slug]), tuple(old[slug])) for slug, term in terms.items())
    groups: tuple[tuple[Term | None, tuple[TermPage, ...]], ...]
    if facet.group_by:
        parents = getattr(vocabularies, facet.group_by)
        groups = tuple((parent, tuple(p for p in pages if parent_of(p.term) == slug))
                       for slug, parent in parents.items())
    else:
        groups = ((None, pages),)
    return FacetIndex(facet, pages, groups)


# --- feeds ------------------------------------------------------------------------------------------------


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


def stamps_of(activity: Activity, tz: ZoneInfo) -> Stamps:
    """SEQUENCE = whole minutes from `published` (00:00 local) to the latest of `updated` and the newest
    `changes` date, plus 1 for postponed or 2 for cancelled. It grows every time an editor moves `updated`
    forward, so calendars replace the event they hold; without `published` it counts from 2000-01-01."""

    def midnight(day: date) -> datetime:
        return datetime.combine(day, time(0, 0), tzinfo=tz)

    moments = [m for m in (activity.updated, *(midnight(c.date) for c in activity.changes)) if m]
    published = midnight(activity.published) if activity.published else None
    changed = max(moments) if moments else None
    created = published or changed or EPOCH
    modified = max(changed, created) if changed else created
    base = published or EPOCH
    minutes = max(0, int((modified - base).total_seconds() // 60)) if changed else 0
    return Stamps(created.astimezone(UTC), modified.astimezone(UTC), minutes + STATUS_RANK.get(activity.status, 0),
                  bool(published or changed))


def feed_set(catalog: Catalog, now: datetime, tz: ZoneInfo, term_pages: dict[tuple[str, str], TermPage]) -> FeedSet:
    """The feed window (upcoming, and ended within WINDOW_MONTHS) and every feed: the site, each facet term, and
    each term crossed with the terms of the facet its facet crosses."""
    cutoff = months_before(now, WINDOW_MONTHS)
    window = tuple(a for a in catalog.activities if is_upcoming(a, cutoff))
    in_window = {a.slug for a in window}
    order = {a.slug: i for i, a in enumerate(catalog.activities)}

    def chosen(activities: Iterable[Activity]) -> tuple[Activity, ...]:
        return tuple(sorted((a for a in activities if a.slug in in_window), key=lambda a: order[a.slug]))

    terms: dict[tuple[str, str], Feed] = {}
    crossed: dict[tuple[str, str, str], Feed] = {}
    for (key, slug), tp in term_pages.items():
        members = (*tp.upcoming, *tp.past)
        terms[(key, slug)] = Feed(tp.facet, tp.term, None, chosen(members))
        if tp.facet.crosses:
            other = next(f for f in FACETS if f.key == tp.facet.crosses)
            for cross in vocabulary(other, catalog.vocabularies).values():
                holds = [a for a in members if cross in other.terms_of(a, catalog.vocabularies)]
                crossed[(key, slug, cross.slug)] = Feed(tp.facet, tp.term, cross, chosen(holds))
    stamps = {a.slug: stamps_of(a, tz) for a in catalog.activities}
    changed = tuple(a for a in window if a.status in ("cancelled", "postponed") or a.changes)
    return FeedSet(Feed(None, None, None, window), terms, crossed, window, stamps, changed)


# --- the month calendar ------------------------------------------------------------------------------------


def _day_entries(activity: Activity, session: Session, tz: ZoneInfo) -> Iterator[tuple[date, str, DayEntry]]:
    """(day, sort key, entry) for every day a session touches; all-day and continuing entries sort first."""
    start = session.start.astimezone(tz)
    end = session.end.astimezone(tz) if session.end else None
    clock = f"{start:%H%M}"
    if session.all_day:
        first, last = start.date(), (end or start).date()
        for n in range((last - first).days + 1):
            yield first + timedelta(days=n), "", DayEntry(activity, session, "day")
        return
    if end is None or end.date() == start.date():
        yield start.date(), clock, DayEntry(activity, session, "span")
        return
    last = end.date() - timedelta(days=1) if (end.hour, end.minute) == (0, 0) else end.date()
    day = start.date()
    while day <= last:
        if day == start.date():
            yield day, clock, DayEntry(activity, session, "start")
        else:
            yield day, "", DayEntry(activity, session, "end" if day == end.date() else "day")
        day += timedelta(days=1)


def calendar_months(catalog: Catalog, now: datetime, tz: ZoneInfo) -> tuple[CalendarMonth, ...]:
    """Every month from the first to the last with activities, and at least the month of `now`."""
    by_day: dict[date, list[tuple[str, datetime, str, int, DayEntry]]] = {}
    for activity in catalog.activities:
        for session in activity.sessions:
            for day, key, entry in _day_entries(activity, session, tz):
                by_day.setdefault(day, []).append((key, activity.start, activity.slug, session.index, entry))
    today = now.astimezone(tz).date()
    by_month: dict[tuple[int, int], list[date]] = {}
    for day in sorted(by_day):
        by_month.setdefault((day.year, day.month), []).append(day)
    busy = set(by_month)
    first = min([*busy, (today.year, today.month)])
    last = max([*busy, (today.year, today.month)])
    refs = [MonthRef(y, m) for y in range(first[0], last[0] + 1) for m in range(1, 13)
            if first <= (y, m) <= last]
    months = []
    for index, ref in enumerate(refs):
        entries: dict[date, tuple[DayEntry, ...]] = {}
        shown: dict[str, Activity] = {}
        for day in by_month.get((ref.year, ref.month), ()):
            entries[day] = tuple(row[-1] for row in sorted(by_day[day], key=lambda row: row[:4]))
            for entry in entries[day]:
                shown.setdefault(entry.activity.slug, entry.activity)
        previous = refs[index - 1] if index > 0 else None
        following = refs[index + 1] if index + 1 < len(refs) else None
        earlier = next((r for r in reversed(refs[:index]) if (r.year, r.month) in busy), None)
        later = next((r for r in refs[index + 1:] if (r.year, r.month) in busy), None)
        months.append(CalendarMonth(
            ref, entries, today if (today.year, today.month) == (ref.year, ref.month) else None,
            previous, following, earlier, later,
            MonthRef(today.year, today.month),
            tuple(sorted(shown.values(), key=lambda a: (a.start, a.slug))),
        ))
    return tuple(months)

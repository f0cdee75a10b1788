"""Stage 3, site graph: the `Catalog` and `now` → `Site`: facets and their terms, upcoming and past listings,
archive years, deadlines, and the cross-links (needs ↔ activities, organisers, venues) that pages show.

Facets are a table, not code paths (as Hugo's taxonomies): adding one is a line in `FACETS`. Every ordering
is explicit, so the same catalog and `now` always give the same site.
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from . import text
from .model import DEADLINE_LABELS, MODES, STATUSES, Activity, Catalog, Need, Organisation, Page, Session, Term, Venue

T = TypeVar("T")

#: How far ahead the home page's "Sista anmälningsdag snart" list looks.
DEADLINE_WINDOW = timedelta(days=30)
#: How close a deadline must be for the "… snart" badge on an activity's card.
DEADLINE_SOON = timedelta(days=7)
#: Content pages linked from every page's footer when they exist (accessibility statement, privacy, contact).
FOOTER_PAGES = ("tillganglighet", "integritet", "kontakt")


@dataclass(frozen=True, slots=True)
class FacetSpec:
    """One facet: its URL segment, the vocabulary it draws from, titles, and how an activity maps to terms."""

    key: str  # URL segment, e.g. "yrken"
    vocabulary: str
    title: str  # "Yrken"
    singular: str  # "Yrke"
    terms_of: Callable[[Activity], Iterable[Term]]
    group_by: str | None = None  # vocabulary that groups this facet's index ("categories" for professions)


def _region(activity: Activity, regions: dict[str, Term]) -> tuple[Term, ...]:
    return (regions[activity.city.region],) if activity.city and activity.city.region in regions else ()


@dataclass(frozen=True, slots=True)
class TermPage:
    """A facet term with its activities: the data of /<facet>/<slug>/ and its past-activities page."""

    facet: FacetSpec
    term: Term
    upcoming: tuple[Activity, ...]
    past: tuple[Activity, ...]  # newest first

    @property
    def url(self) -> str:
        return f"{self.facet.key}/{self.term.slug}/"

    @property
    def count(self) -> int:
        return len(self.upcoming)


@dataclass(frozen=True, slots=True)
class FacetIndex:
    """All terms of one facet, optionally grouped (professions by category, cities by region)."""

    spec: FacetSpec
    terms: tuple[TermPage, ...]
    groups: tuple[tuple[Term | None, tuple[TermPage, ...]], ...]

    @property
    def url(self) -> str:
        return f"{self.spec.key}/"


@dataclass(frozen=True, slots=True)
class Related:
    """Upcoming and past activities tied to one record (a need, an organisation, a venue)."""

    upcoming: tuple[Activity, ...]
    past: tuple[Activity, ...]


@dataclass(frozen=True, slots=True)
class Site:
    """What render and feeds receive. Nothing is re-parsed or re-sorted after this point."""

    catalog: Catalog
    now: datetime
    upcoming: tuple[Activity, ...]  # soonest first
    past: tuple[Activity, ...]  # newest first
    facets: tuple[FacetIndex, ...]
    term_pages: dict[tuple[str, str], TermPage]  # (facet key, slug) → page
    archive: tuple[tuple[int, tuple[Activity, ...]], ...]  # newest year first; activities by start
    deadlines: tuple[Activity, ...]  # registration closing within DEADLINE_WINDOW, soonest first
    by_need: dict[str, Related]
    by_organisation: dict[str, Related]
    by_venue: dict[str, Related]
    menu: tuple[Page, ...]
    fingerprints: dict[str, str]  # activity slug → digest of all a page shows of it (see `fingerprint`)
    cards: dict[str, Card]  # activity slug → what its card shows at `now`
    months: tuple[CalendarMonth, ...]  # /kalender/<yyyy>/<mm>/, oldest first
    footer: tuple[Page, ...]  # FOOTER_PAGES that exist, in that order
    derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def derive(self, name: str, make: Callable[[Site], T]) -> T:
        """A value derived from this site by a later stage (the feed set, the filter form), computed once per
        site: templates ask for them on every page, and they belong to this build only."""
        if name not in self.derived:
            self.derived[name] = make(self)
        return self.derived[name]  # type: ignore[no-any-return]

    @property
    def config(self):  # type: ignore[no-untyped-def]
        return self.catalog.config

    def facet(self, key: str) -> FacetIndex:
        return next(f for f in self.facets if f.spec.key == key)

    def term_page(self, key: str, term: Term) -> TermPage | None:
        return self.term_pages.get((key, term.slug))

    def is_past(self, activity: Activity) -> bool:
        return not is_upcoming(activity, self.now)

    def deadline_open(self, activity: Activity) -> bool:
        """A registration deadline that has not passed, for an activity one can still join."""
        return deadline_open(activity, self.now)

    @property
    def current_month(self) -> CalendarMonth:
        """The month of `now` (always generated)."""
        local = self.now.astimezone(ZoneInfo(self.config.timezone))
        return next(m for m in self.months if (m.year, m.month) == (local.year, local.month))


def deadline_open(activity: Activity, now: datetime) -> bool:
    """A registration deadline that has not passed, for an activity one can still join."""
    r = activity.registration
    return bool(r and r.deadline and r.deadline >= now and activity.status not in ("cancelled", "full"))


def deadline_soon(activity: Activity, now: datetime) -> bool:
    """An open registration deadline within DEADLINE_SOON of `now`."""
    r = activity.registration
    return deadline_open(activity, now) and r is not None and r.deadline is not None \
        and r.deadline <= now + DEADLINE_SOON


def fingerprint(activity: Activity, now: datetime) -> str:
    """Everything a page can show of an activity: its file, the files it links to, and its state at `now`.

    Two builds that give an activity the same fingerprint render it the same way, so pages that show only
    such activities (and site-wide settings) can be kept from the previous build.
    """
    parts = [
        activity.source.digest,
        activity.venue.source.digest if activity.venue else "",
        *(o.source.digest for o in activity.organisers),
        *(n.source.digest for n in activity.needs),
        "past" if not is_upcoming(activity, now) else "upcoming",
        "open" if deadline_open(activity, now) else "closed",
        "soon" if deadline_soon(activity, now) else "",
    ]
    return hashlib.sha1("|".join(parts).encode(), usedforsecurity=False).hexdigest()


def facet_specs(catalog: Catalog) -> tuple[FacetSpec, ...]:
    """The facet table for a catalog (regions need the vocabulary to map a city to its region)."""
    regions = catalog.vocabularies.regions
    return (
        FacetSpec("yrken", "professions", "Yrken", "Yrke", lambda a: a.professions, group_by="categories"),
        FacetSpec("yrkeskategorier", "categories", "Yrkeskategorier", "Yrkeskategori", lambda a: a.categories),
        FacetSpec("konstformer", "art_forms", "Konstformer", "Konstform", lambda a: a.art_forms),
        FacetSpec("typer", "types", "Typer av aktiviteter", "Typ", lambda a: (a.type,)),
        FacetSpec("orter", "cities", "Orter", "Ort", lambda a: (a.city,) if a.city else (), group_by="regions"),
        FacetSpec("regioner", "regions", "Regioner", "Region", lambda a: _region(a, regions)),
    )


def is_upcoming(activity: Activity, now: datetime) -> bool:
    """Upcoming until it has ended: all-day activities last to the end of their last day."""
    last = activity.sessions[-1]
    if last.all_day:
        return (last.end or last.start) + timedelta(days=1) > now
    return (last.end or last.start) > now


def build_site(catalog: Catalog, now: datetime) -> Site:
    """Derive every listing and cross-link from the catalog, judging upcoming against `now`."""
    upcoming = tuple(a for a in catalog.activities if is_upcoming(a, now))
    past = tuple(reversed([a for a in catalog.activities if not is_upcoming(a, now)]))
    facets = tuple(_facet(spec, catalog, upcoming, past) for spec in facet_specs(catalog))
    term_pages = {(f.spec.key, tp.term.slug): tp for f in facets for tp in f.terms}

    years: dict[int, list[Activity]] = {}
    for activity in catalog.activities:
        years.setdefault(activity.start.year, []).append(activity)
    archive = tuple((year, tuple(years[year])) for year in sorted(years, reverse=True))

    deadlines = tuple(sorted(
        (a for a in upcoming
         if a.registration and a.registration.deadline and a.status not in ("cancelled", "full")
         and now <= a.registration.deadline <= now + DEADLINE_WINDOW),
        key=lambda a: (a.registration.deadline, a.slug),  # type: ignore[union-attr]
    ))

    def related(records: dict[str, Need] | dict[str, Organisation] | dict[str, Venue],
                links: Callable[[Activity], Iterable[str]]) -> dict[str, Related]:
        return {
            slug: Related(tuple(a for a in upcoming if slug in links(a)), tuple(a for a in past if slug in links(a)))
            for slug in records
        }

    menu = tuple(sorted((p for p in catalog.pages.values() if p.menu is not None), key=lambda p: (p.menu, p.slug)))
    return Site(
        catalog=catalog, now=now, upcoming=upcoming, past=past, facets=facets, term_pages=term_pages,
        archive=archive, deadlines=deadlines,
        by_need=related(catalog.needs, lambda a: [n.slug for n in a.needs]),
        by_organisation=related(catalog.organisations, lambda a: [o.slug for o in a.organisers]),
        by_venue=related(catalog.venues, lambda a: [a.venue.slug] if a.venue else []),
        menu=menu,
        fingerprints={a.slug: fingerprint(a, now) for a in catalog.activities},
        cards={a.slug: card_of(a, now) for a in catalog.activities},
        months=calendar_months(catalog, now),
        footer=tuple(catalog.pages[slug] for slug in FOOTER_PAGES if slug in catalog.pages),
    )


def _facet(spec: FacetSpec, catalog: Catalog, upcoming: tuple[Activity, ...],
           past: tuple[Activity, ...]) -> FacetIndex:
    vocabulary: dict[str, Term] = getattr(catalog.vocabularies, spec.vocabulary)
    up: dict[str, list[Activity]] = {slug: [] for slug in vocabulary}
    old: dict[str, list[Activity]] = {slug: [] for slug in vocabulary}
    for bucket, activities in ((up, upcoming), (old, past)):
        for activity in activities:
            for term in spec.terms_of(activity):
                bucket[term.slug].append(activity)
    pages = tuple(TermPage(spec, term, tuple(up[slug]), tuple(old[slug])) for slug, term in vocabulary.items())
    groups: tuple[tuple[Term | None, tuple[TermPage, ...]], ...]
    if spec.group_by:
        parents: dict[str, Term] = getattr(catalog.vocabularies, spec.group_by)
        key = "category" if spec.vocabulary == "professions" else "region"
        groups = tuple((parent, tuple(p for p in pages if getattr(p.term, key) == slug))
                       for slug, parent in parents.items())
    else:
        groups = ((None, pages),)
    return FacetIndex(spec, pages, groups)


@dataclass(frozen=True, slots=True)
class Pager:
    """One page of a paginated listing: its items, number, and the URLs of its neighbours."""

    items: tuple[Activity, ...]
    number: int
    count: int
    base: str  # URL of page 1, e.g. "yrken/ljustekniker/"

    def url_of(self, number: int) -> str:
        return self.base if number == 1 else f"{self.base}sida/{number}/"

    @property
    def url(self) -> str:
        return self.url_of(self.number)

    @property
    def previous(self) -> str | None:
        return self.url_of(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.url_of(self.number + 1) if self.number < self.count else None


def paginate(items: tuple[Activity, ...], per_page: int, base: str) -> tuple[Pager, ...]:
    """Split a listing into pages; an empty listing still has one (empty) page."""
    count = max(1, -(-len(items) // per_page))
    return tuple(Pager(items[i * per_page:(i + 1) * per_page], i + 1, count, base) for i in range(count))


# --- cards: what a listing shows of an activity at a glance ----------------------------------------------


@dataclass(frozen=True, slots=True)
class Badge:
    """A status shown on a card: `key` names its style (cancelled, postponed, full, soon, draft)."""

    key: str
    label: str


@dataclass(frozen=True, slots=True)
class Card:
    """The texts and flags of an activity's card at `now`, shared by the HTML cards and the filter's index."""

    when: str  # the first session: "tisdag 3 februari 2027, 09.00–16.00"
    more: str | None  # "4 tillfällen till och med 24 mars 2027"
    place: str | None  # "Malmö", "Malmö och digitalt", "Digitalt"
    price: str | None  # "Kostnadsfritt", "1 200 kr" or the price as written
    audience: str  # profession categories: "Tekniska yrken, Administrativa yrken"
    deadline: str | None  # "Sista anmälningsdag: fredag 10 december 2027" while registration is open
    badges: tuple[Badge, ...]

    @property
    def cancelled(self) -> bool:
        return any(b.key == "cancelled" for b in self.badges)

    @property
    def deadline_soon(self) -> bool:
        return any(b.key == "soon" for b in self.badges)

    @property
    def statuses(self) -> tuple[Badge, ...]:
        """The badges of the activity's status alone (the month calendar shows these)."""
        return tuple(b for b in self.badges if b.key in STATUSES)


def card_of(activity: Activity, now: datetime) -> Card:
    """Everything a card shows, computed once (`fingerprint` covers every input, including `now`)."""
    first, last = activity.sessions[0], activity.sessions[-1]
    count = len(activity.sessions)
    more = f"{count} tillfällen till och med {text.day_medium(last.start.date())}" if count > 1 else None
    city = activity.city.name if activity.city else None
    if activity.mode == "online":
        place: str | None = MODES["online"].capitalize()
    elif activity.mode == "hybrid":
        place = f"{city} och digitalt" if city else MODES["hybrid"]
    else:
        place = city
    price = None
    if activity.price is not None:
        price = text.kronor(activity.price.amount) if activity.price.amount is not None else activity.price.text
    audience = "Alla yrkeskategorier" if activity.all_professions else ", ".join(t.name for t in activity.categories)
    r = activity.registration
    deadline = None
    badges: list[Badge] = []
    if activity.status != "scheduled":
        badges.append(Badge(activity.status, STATUSES[activity.status]))
    if r is not None and r.deadline is not None and deadline_open(activity, now):
        deadline = f"{DEADLINE_LABELS[r.kind]}: {text.deadline_text(r.deadline)}"
        if deadline_soon(activity, now):
            badges.append(Badge("soon", f"{DEADLINE_LABELS[r.kind]} snart"))
    if activity.draft:
        badges.append(Badge("draft", "Utkast"))
    return Card(text.span(first.start, first.end, first.all_day), more, place, price, audience, deadline,
                tuple(badges))


# --- the month calendar: /kalender/<yyyy>/<mm>/ ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthRef:
    """A month of the calendar, as a link target."""

    year: int
    month: int

    @property
    def url(self) -> str:
        return f"kalender/{self.year}/{self.month:02d}/"

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)


@dataclass(frozen=True, slots=True)
class DayEntry:
    """One activity on one day: a session, or one day of a session that spans several."""

    activity: Activity
    session: Session
    time: str  # "09.00–16.00", "18.00", "från 18.00", "till 12.00", "hela dagen"
    part: str | None  # "tillfälle 2 av 4" for activities with several sessions


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
    """A month grid (weeks start on Monday), its neighbours, and the nearest months that have activities."""

    ref: MonthRef
    weeks: tuple[CalendarWeek, ...]
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
    def url(self) -> str:
        return self.ref.url

    @property
    def first(self) -> date:
        return self.ref.first

    @property
    def days(self) -> tuple[CalendarDay, ...]:
        """The days that have activities (and today), in order: the list view."""
        return tuple(d for w in self.weeks for d in w.days if d is not None and (d.entries or d.today))


def _day_entries(activity: Activity, session: Session, tz: ZoneInfo) -> Iterable[tuple[date, str, DayEntry]]:
    """(day, sort key, entry) for every day a session touches; all-day and continuing entries sort first."""
    part = f"tillfälle {session.index} av {len(activity.sessions)}" if len(activity.sessions) > 1 else None
    start = session.start.astimezone(tz)
    end = session.end.astimezone(tz) if session.end else None
    if session.all_day:
        first, last = start.date(), (end or start).date()
        for n in range((last - first).days + 1):
            yield first + timedelta(days=n), "", DayEntry(activity, session, "hela dagen", part)
        return
    if end is None or end.date() == start.date():
        label = f"{text.clock(start)}{text.DASH}{text.clock(end)}" if end else text.clock(start)
        yield start.date(), text.clock(start), DayEntry(activity, session, label, part)
        return
    last = end.date() - timedelta(days=1) if (end.hour, end.minute) == (0, 0) else end.date()
    day = start.date()
    while day <= last:
        if day == start.date():
            yield day, text.clock(start), DayEntry(activity, session, f"från {text.clock(start)}", part)
        else:
            label = f"till {text.clock(end)}" if day == end.date() else "hela dagen"
            yield day, "", DayEntry(activity, session, label, part)
        day += timedelta(days=1)


def calendar_months(catalog: Catalog, now: datetime) -> tuple[CalendarMonth, ...]:
    """Every month from the first to the last with activities, and at least the month of `now`."""
    tz = ZoneInfo(catalog.config.timezone)
    by_day: dict[date, list[tuple[str, datetime, str, int, DayEntry]]] = {}
    for activity in catalog.activities:
        for session in activity.sessions:
            for day, key, entry in _day_entries(activity, session, tz):
                by_day.setdefault(day, []).append((key, activity.start, activity.slug, session.index, entry))
    today = now.astimezone(tz).date()
    busy = {(d.year, d.month) for d in by_day}
    first = min([*busy, (today.year, today.month)])
    last = max([*busy, (today.year, today.month)])
    refs = [MonthRef(y, m) for y in range(first[0], last[0] + 1) for m in range(1, 13)
            if first <= (y, m) <= last]
    grid = calendar.Calendar(firstweekday=calendar.MONDAY)
    months = []
    for index, ref in enumerate(refs):
        weeks = []
        shown: dict[str, Activity] = {}
        for week in grid.monthdatescalendar(ref.year, ref.month):
            days: list[CalendarDay | None] = []
            for day in week:
                if day.month != ref.month:
                    days.append(None)
                    continue
                entries = tuple(row[-1] for row in sorted(by_day.get(day, ()), key=lambda row: row[:4]))
                for entry in entries:
                    shown.setdefault(entry.activity.slug, entry.activity)
                days.append(CalendarDay(day, entries, day == today))
            weeks.append(CalendarWeek(week[0].isocalendar().week, tuple(days)))
        previous = refs[index - 1] if index > 0 else None
        following = refs[index + 1] if index + 1 < len(refs) else None
        earlier = next((r for r in reversed(refs[:index]) if (r.year, r.month) in busy), None)
        later = next((r for r in refs[index + 1:] if (r.year, r.month) in busy), None)
        months.append(CalendarMonth(
            ref, tuple(weeks), today if (today.year, today.month) == (ref.year, ref.month) else None,
            previous, following, earlier, later,
            MonthRef(today.year, today.month),
            tuple(sorted(shown.values(), key=lambda a: (a.start, a.slug))),
        ))
    return tuple(months)

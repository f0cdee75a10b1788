"""Stage 3, site graph: the `Catalog` and `now` → `Site`: facets and their terms, upcoming and past listings,
archive years, deadlines, and the cross-links (needs ↔ activities, organisers, venues) that pages show.

Facets are a table, not code paths (as Hugo's taxonomies): adding one is a line in `FACETS`. Every ordering
is explicit, so the same catalog and `now` always give the same site.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .model import Activity, Catalog, Need, Organisation, Page, Term, Venue

#: How far ahead "Sista anmälningsdag snart" looks.
DEADLINE_WINDOW = timedelta(days=30)


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
        r = activity.registration
        return bool(r and r.deadline and r.deadline >= self.now and activity.status not in ("cancelled", "full"))


def fingerprint(activity: Activity, now: datetime) -> str:
    """Everything a page can show of an activity: its file, the files it links to, and its state at `now`.

    Two builds that give an activity the same fingerprint render it the same way, so pages that show only
    such activities (and site-wide settings) can be kept from the previous build.
    """
    r = activity.registration
    parts = [
        activity.source.digest,
        activity.venue.source.digest if activity.venue else "",
        *(o.source.digest for o in activity.organisers),
        *(n.source.digest for n in activity.needs),
        "past" if not is_upcoming(activity, now) else "upcoming",
        "open" if r and r.deadline and r.deadline >= now else "closed",
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

"""What the platform did, in numbers: the data of /statistik/ and its CSV files, computed from the content at `now`.

Counted are the activities that have taken place: ended before `now` and neither cancelled nor postponed
(`held`). Per year (of the first session, in the site's time zone) and in total: activities, sessions, hours
(`hours` where given, else the length of the timed sessions), participants and organisations (where an outcome
records them), free of charge; and the activities per profession category, profession, art form, region and
city, type, audience and price, and the needs reported and answered with the median time from a report to the
first activity that answers it. An activity for several art forms counts under each, so those columns may add up
to more than the total; the participants per profession category add up to the total (with a row for those
whose category was not recorded).

Everything here is numbers and terms, no words: views.py words it, charts.py draws it, and the same content and
`now` give the same statistics.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from .facets import BY_KEY, vocabulary
from .i18n import N_
from .model import Activity, Catalog, Term
from .needs import NOT_HELD, NeedPath

#: The tables, in the order of the page: key (a URL word: its CSV file), and what its numbers count.
ACTIVITIES = "activities"
PARTICIPANTS = "participants"
TABLES = ("per-year", "categories", "professions", "art-forms", "regions", "cities", "types", "audiences", "prices",
          "needs")
#: Rows that are not terms of a vocabulary (msgids).
ONLINE = N_("Online")
NOT_STATED = N_("Not stated")
FREE = N_("Free activities")
PAID = N_("With a fee")


@dataclass(frozen=True, slots=True)
class Tally:
    """The sums of some held activities."""

    activities: int = 0
    sessions: int = 0
    hours: Decimal = Decimal(0)
    participants: int = 0
    recorded: int = 0  # activities that recorded their participants
    organisations: int = 0
    free: int = 0


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a breakdown: a term (or a label msgid), its number per year and in total, and the participants
    of its activities (for the tables that count activities)."""

    term: Term | None
    label: str | None
    counts: tuple[int, ...]  # one per year of Statistics.years
    total: int
    participants: int | None


@dataclass(frozen=True, slots=True)
class Breakdown:
    key: str  # one of TABLES
    measure: str  # ACTIVITIES or PARTICIPANTS
    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class NeedFigures:
    years: tuple[int, ...]  # every year a need was reported or first answered
    reported: tuple[int, ...]  # per year: needs reported
    answered: tuple[int, ...]  # per year: needs whose first answering activity started that year
    total_reported: int
    total_answered: int
    median_days: int | None  # from the report to the first answering activity (rounded to whole days)


@dataclass(frozen=True, slots=True)
class Statistics:
    years: tuple[int, ...]  # every year an activity took place
    per_year: tuple[Tally, ...]
    total: Tally
    breakdowns: tuple[Breakdown, ...]
    needs: NeedFigures
    upcoming: int  # announced activities still to come (not cancelled)

    def breakdown(self, key: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.key == key)


def held(activity: Activity) -> bool:
    return activity.status not in NOT_HELD


def hours_of(activity: Activity) -> Decimal:
    """`hours` where given, else the timed sessions' length (all-day sessions without `hours` count none)."""
    if activity.hours is not None:
        return activity.hours
    seconds = sum((s.end - s.start).total_seconds() for s in activity.sessions if s.end and not s.all_day)
    return (Decimal(int(seconds)) / 3600).quantize(Decimal("0.1"))


def tally(activities: Iterable[Activity]) -> Tally:
    acts = list(activities)
    outcomes = [a.outcome for a in acts if a.outcome is not None]
    return Tally(
        activities=len(acts),
        sessions=sum(len(a.sessions) for a in acts),
        hours=sum((hours_of(a) for a in acts), Decimal(0)),
        participants=sum(o.participants or 0 for o in outcomes),
        recorded=sum(1 for o in outcomes if o.participants is not None),
        organisations=sum(o.organisations or 0 for o in outcomes),
        free=sum(1 for a in acts if a.price is not None and a.price.free),
    )


def participants(activity: Activity) -> int:
    return (activity.outcome.participants or 0) if activity.outcome else 0


def compute(catalog: Catalog, past: tuple[Activity, ...], upcoming: tuple[Activity, ...],
            paths: dict[str, NeedPath], tz: ZoneInfo) -> Statistics:
    done = sorted((a for a in past if held(a)), key=lambda a: (a.start, a.slug))

    def year_of(activity: Activity) -> int:
        return activity.start.astimezone(tz).year

    first_answers = {slug: min(a.start.astimezone(tz).date() for a in p.past if held(a))
                     for slug, p in paths.items() if any(held(a) for a in p.past)}
    years = tuple(sorted({year_of(a) for a in done}))
    need_years = tuple(sorted({n.reported.year for n in catalog.needs.values()}
                              | {d.year for d in first_answers.values()}))
    by_year = {y: [a for a in done if year_of(a) == y] for y in years}
    vocab = catalog.vocabularies

    def row(term: Term | None, label: str | None, members: Callable[[Activity], bool]) -> Row:
        counts = tuple(sum(1 for a in by_year[y] if members(a)) for y in years)
        return Row(term, label, counts, sum(counts), sum(participants(a) for a in done if members(a)))

    places = {y: i for i, y in enumerate(years)}
    year_places = [places[year_of(a)] for a in done]

    def terms(of: Callable[[Activity], Iterable[Term]], among: dict[str, Term], keep_empty: bool = True
              ) -> tuple[Row, ...]:
        """A row per term of `among`, in one pass over the activities (each counted once under each of its
        terms): a pass per term cost terms × activities, 1.2 million tests at 10,000 activities."""
        counts = {t.slug: [0] * len(years) for t in among.values()}
        people = dict.fromkeys(counts, 0)
        for activity, place in zip(done, year_places, strict=True):
            for slug in {t.slug for t in of(activity)}:
                if slug in counts:
                    counts[slug][place] += 1
                    people[slug] += participants(activity)
        rows = [Row(t, None, tuple(counts[t.slug]), sum(counts[t.slug]), people[t.slug]) for t in among.values()]
        return tuple(r for r in rows if keep_empty or r.total)

    def facet(key: str) -> tuple[Callable[[Activity], Iterable[Term]], dict[str, Term]]:
        return (lambda a: BY_KEY[key].terms_of(a, vocab)), vocabulary(BY_KEY[key], vocab)

    online = row(None, ONLINE, lambda a: a.city is None)
    region_rows = (*terms(*facet("regions")), online)
    city_rows = (*terms(*facet("cities"), keep_empty=False), online)
    prices = (row(None, FREE, lambda a: a.price is not None and a.price.free),
              row(None, PAID, lambda a: a.price is not None and not a.price.free),
              row(None, NOT_STATED, lambda a: a.price is None))

    def category_row(term: Term | None) -> Row:
        def count(a: Activity) -> int:
            if a.outcome is None or a.outcome.participants is None:
                return 0
            found = dict((t.slug, n) for t, n in a.outcome.by_category)
            if term is None:
                return a.outcome.participants - sum(found.values())
            return found.get(term.slug, 0)

        counts = tuple(sum(count(a) for a in by_year[y]) for y in years)
        return Row(term, None if term else NOT_STATED, counts, sum(counts), None)

    categories = tuple(category_row(t) for t in vocab.categories.values())
    uncategorised = category_row(None)
    breakdowns = (
        Breakdown("categories", PARTICIPANTS, categories + ((uncategorised,) if uncategorised.total else ())),
        Breakdown("professions", ACTIVITIES, terms(*facet("professions"), keep_empty=False)),
        Breakdown("art-forms", ACTIVITIES, terms(*facet("art-forms"))),
        Breakdown("regions", ACTIVITIES, tuple(r for r in region_rows if r.total or r.term is not None)),
        Breakdown("cities", ACTIVITIES, tuple(r for r in city_rows if r.total)),
        Breakdown("types", ACTIVITIES, terms(*facet("types"))),
        Breakdown("audiences", ACTIVITIES, terms(lambda a: a.audiences, vocab.audiences)),
        Breakdown("prices", ACTIVITIES, tuple(r for r in prices if r.total or r.label != NOT_STATED)),
    )

    reported = tuple(sum(1 for n in catalog.needs.values() if n.reported.year == y) for y in need_years)
    answered = tuple(sum(1 for d in first_answers.values() if d.year == y) for y in need_years)
    waits = [max(0, (first_answers[slug] - catalog.needs[slug].reported).days) for slug in first_answers]
    median = int(Decimal(statistics.median(waits)).quantize(Decimal(1), ROUND_HALF_UP)) if waits else None
    needs = NeedFigures(need_years, reported, answered, len(catalog.needs), len(first_answers), median)
    return Statistics(years, tuple(tally(by_year[y]) for y in years), tally(done), breakdowns, needs,
                      sum(1 for a in upcoming if a.status != "cancelled"))

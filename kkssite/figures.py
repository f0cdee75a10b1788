"""The statistics page (/statistik/) and its CSV files (/statistik/<table>.csv), worded from stats.Statistics.

Each table is made once as rows of numbers (`tables`), then worded for the page (numbers the Swedish way through
wording.py, with a chart from charts.py) or written as it is into its CSV file (feeds/tables.py); so the page and
the files always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .charts import Chart, bar_chart
from .feeds.tables import Table
from .i18n import N_
from .stats import PARTICIPANTS, TABLES, Breakdown, Row, Statistics

if TYPE_CHECKING:
    from .views import Views

#: How many bars a chart of many terms shows (the largest; the table has every one).
CHART_BARS = 12
#: The heading of each breakdown's first column (msgids).
ROW_HEADERS = {"categories": N_("Professional category"), "professions": N_("Profession"), "art-forms": N_("Art form"),
               "regions": N_("Region"), "cities": N_("City"), "types": N_("Type of activity"),
               "audiences": N_("Audience"), "prices": N_("Price")}
#: The breakdowns in which an activity has one row only: their participants add up (the others' would not).
SINGLE = frozenset({"regions", "cities", "types", "prices"})
Cell = str | int | Decimal


@dataclass(frozen=True, slots=True)
class RawTable:
    """A table as numbers: its CSV as it is, its page cells once worded. `kinds` says how each column is worded:
    "label", "count", "hours" or "share" (a percentage)."""

    key: str
    heading: str
    caption: str
    header: tuple[str, ...]
    kinds: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    foot: tuple[Cell, ...] | None
    charts: tuple[tuple[str, int, bool], ...]  # (caption, column, largest only) of each chart
    note: str | None = None


@dataclass(frozen=True, slots=True)
class TableView:
    """A table as the page shows it."""

    key: str
    heading: str
    caption: str
    header: tuple[str, ...]
    numeric: tuple[bool, ...]  # which columns are numbers (right-aligned)
    rows: tuple[tuple[str, ...], ...]
    foot: tuple[str, ...] | None
    charts: tuple[Chart, ...]
    csv: str
    note: str | None


def _label(views: Views, row: Row) -> str:
    if row.term is not None:
        return row.term.name
    return views.w._(row.label) if row.label else ""


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else Decimal(0)


def tables(views: Views) -> list[RawTable]:
    w = views.w
    stats: Statistics = views.site.statistics
    years = [str(y) for y in stats.years]
    total = w._("Total")
    found: list[RawTable] = []

    per_year = [(str(y), t.activities, t.sessions, t.hours, t.participants, t.recorded, t.organisations, t.free)
                for y, t in zip(stats.years, stats.per_year, strict=True)]
    t = stats.total
    found.append(RawTable(
        "per-year", w._("Per year"), w._("Activities, sessions, hours and participants per year"),
        (w._("Year"), w._("Activities"), w._("Sessions"), w._("Hours"), w._("Participants"),
         w._("Activities that recorded participants"), w._("Organisations taking part"), w._("Free activities")),
        ("label", "count", "count", "hours", "count", "count", "count", "count"),
        tuple(per_year),
        (total, t.activities, t.sessions, t.hours, t.participants, t.recorded, t.organisations, t.free),
        ((w._("Activities per year"), 1, False), (w._("Participants per year"), 4, False))))

    headings = {
        "categories": (w._("Participants per professional category"),
                       w._("Participants per professional category and year"),
                       w._("Participants per professional category")),
        "professions": (w._("Professions"), w._("Activities per profession and year"),
                        w._("The twelve professions with the most activities")),
        "art-forms": (w._("Art forms"), w._("Activities per art form and year"), w._("Activities per art form")),
        "regions": (w._("Regions"), w._("Activities per region and year"), w._("Activities per region")),
        "cities": (w._("Cities"), w._("Activities per city and year"), w._("The twelve cities with the most "
                                                                            "activities")),
        "types": (w._("Types of activity"), w._("Activities per type and year"), w._("Activities per type")),
        "audiences": (w._("Audience"), w._("Activities for individuals and for organisations, per year"),
                      w._("Activities per audience")),
        "prices": (w._("Free of charge or with a fee"), w._("Activities free of charge and with a fee, per year"),
                   w._("Activities free of charge and with a fee")),
    }
    notes = {
        "categories": w._("From the participants per professional category that the activities recorded; "
                          "participants without a recorded category are counted as not stated."),
        "professions": w._("An activity for several professions counts under each of them, so the rows add up to "
                           "more than the number of activities. Professions without activities are left out."),
        "art-forms": w._("An activity for several art forms counts under each of them."),
        "audiences": w._("An activity for both individuals and organisations counts under both."),
    }
    for breakdown in stats.breakdowns:
        heading, caption, chart = headings[breakdown.key]
        found.append(_breakdown(views, breakdown, ROW_HEADERS[breakdown.key], caption, chart, years,
                                notes.get(breakdown.key), heading))

    needs = stats.needs
    median = w._("Median time from the report to the first activity that answered the need: {days}.",
                 days=w.days(needs.median_days)) if needs.median_days is not None else None
    found.append(RawTable(
        "needs", w._("Needs"), w._("Needs reported and answered per year"),
        (w._("Year"), w._("Needs reported"), w._("Needs answered (the year of the first activity)")),
        ("label", "count", "count"),
        tuple((str(y), r, a) for y, r, a in zip(needs.years, needs.reported, needs.answered, strict=True)),
        (total, needs.total_reported, needs.total_answered),
        ((w._("Needs reported per year"), 1, False),), median))
    assert [table.key for table in found] == list(TABLES)
    return found


def _breakdown(views: Views, breakdown: Breakdown, row_header: str, caption: str, chart: str, years: list[str],
               note: str | None, heading: str) -> RawTable:
    w = views.w
    participants = breakdown.measure == PARTICIPANTS
    header = (w._(row_header), *years, w._("Total"))
    kinds = ("label", *("count" for _y in years), "count")
    rows: list[tuple[Cell, ...]] = [(_label(views, r), *r.counts, r.total) for r in breakdown.rows]
    if not participants and breakdown.key in SINGLE:
        header += (w._("Participants"),)
        kinds += ("count",)
        rows = [(*row, r.participants or 0) for row, r in zip(rows, breakdown.rows, strict=True)]
    if breakdown.key == "prices":
        whole = views.site.statistics.total.activities
        header += (w._("Share, %"),)
        kinds += ("share",)
        rows = [(*row, _share(r.total, whole)) for row, r in zip(rows, breakdown.rows, strict=True)]
    foot: tuple[Cell, ...] | None = None
    if participants:
        counts = [sum(r.counts[i] for r in breakdown.rows) for i in range(len(years))]
        foot = (w._("Total"), *counts, sum(counts))
    many = breakdown.key in ("professions", "cities")
    return RawTable(breakdown.key, heading, caption, header, kinds, tuple(rows), foot,
                    ((chart, len(years) + 1, many),), note)


def _word(views: Views, kind: str, value: Cell) -> str:
    if kind == "label" or isinstance(value, str):
        return str(value)
    if kind == "share":
        return views.w.percent(Decimal(value) / 100)
    return views.w.number(value)


def statistics_context(views: Views) -> dict[str, Any]:
    w = views.w
    stats = views.site.statistics
    shown = []
    for raw in tables(views):
        charts = []
        for index, (caption, column, largest) in enumerate(raw.charts, start=1):
            rows = [(str(row[0]), float(row[column]), _word(views, raw.kinds[column], row[column]))
                    for row in raw.rows]
            if largest:
                rows = sorted(rows, key=lambda r: -r[1])[:CHART_BARS]
            title = w._("Bar chart: {caption}. The numbers are in the table below.", caption=caption)
            charts.append(bar_chart(f"diagram-{raw.key}-{index}", caption, title, rows))
        shown.append(TableView(
            raw.key, raw.heading, raw.caption, raw.header, tuple(kind != "label" for kind in raw.kinds),
            tuple(tuple(_word(views, k, v) for k, v in zip(raw.kinds, row, strict=True)) for row in raw.rows),
            tuple(_word(views, k, v) for k, v in zip(raw.kinds, raw.foot, strict=True)) if raw.foot else None,
            tuple(charts), views.router.path("statistics-csv", table=views.router.segment(raw.key)), raw.note))
    t = stats.total
    summary: list[tuple[str, str, str | None]] = [
        (w._("Activities that took place"), w.number(t.activities), None),
        (w._("Sessions"), w.number(t.sessions), None),
        (w._("Hours"), w.number(t.hours), None),
        (w._("Participants"), w.number(t.participants), w.ngettext(
            "recorded for {recorded} of {activities} activity", "recorded for {recorded} of {activities} activities",
            t.activities, recorded=w.number(t.recorded), activities=w.number(t.activities))),
        (w._("Share free of charge"), w.percent(Decimal(t.free) / t.activities) if t.activities else w.number(0),
         None),
        (w._("Needs reported"), w.number(stats.needs.total_reported), None),
        (w._("Needs answered"), w.number(stats.needs.total_answered), w._("by an activity that took place")),
        (w._("Upcoming activities"), w.number(stats.upcoming), None),
    ]
    if stats.needs.median_days is not None:
        summary.insert(-1, (w._("Median time from a need to its first activity"), w.days(stats.needs.median_days),
                            None))
    first, last = (stats.years[0], stats.years[-1]) if stats.years else (None, None)
    return {"summary": tuple(summary), "tables": tuple(shown), "first": first, "last": last,
            "needs_url": views.router.path("needs"), "archive_url": views.router.path("archive"),
            "data_url": views.router.path("open-data")}


def csv_tables(views: Views) -> list[tuple[str, Table]]:
    """(the table's URL word, its CSV) of every table."""
    return [(views.router.segment(raw.key), Table(raw.header, (*raw.rows, *((raw.foot,) if raw.foot else ()))))
            for raw in tables(views)]

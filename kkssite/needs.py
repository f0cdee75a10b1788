"""The life of a need: from a wish to activities to what they led to, and the checks that keep it honest.

A need (content/needs/) is reported, then planned, then answered by the activities that name it under `needs:`,
and the past ones among them carry what they led to (`outcome`, `materials`); or it is closed, with a note that
says why. `need_path` derives that path from the catalogue at `now` (language-neutral, for the need's page, the
needs listing and the statistics); `lifecycle_warnings` are the checks that depend on `now` (so `kkssite check`
and the build run them with their `--now`, after validation).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .errors import Problem, Problems
from .i18n import _
from .model import Activity, Catalog, Need

if TYPE_CHECKING:
    from .graph import Related

#: A need that has been `planned` for longer than this since it was reported gets a warning.
PLANNED_TOO_LONG = timedelta(days=365)
#: Activities that did not take place (they count as answering a need, but not as having happened).
NOT_HELD = frozenset({"cancelled", "postponed"})


@dataclass(frozen=True, slots=True)
class NeedPath:
    """Where a need stands at `now`: the activities that answer it and what the past ones led to."""

    need: Need
    upcoming: tuple[Activity, ...]  # answering activities still to come, soonest first
    past: tuple[Activity, ...]  # those that have ended, newest first
    first_answer: date | None  # the first day of the earliest answering activity that was not cancelled
    participants: int | None  # summed over the past activities that recorded it
    organisations: int | None
    results: tuple[Activity, ...]  # past activities with an outcome or materials, oldest first

    @property
    def planned(self) -> bool:
        """Planning has started: the status says so, or activities answer the need."""
        return self.need.status in ("planned", "answered") or bool(self.upcoming or self.past)

    @property
    def answered(self) -> bool:
        return bool(self.upcoming or self.past)

    @property
    def held(self) -> bool:
        return any(a.status not in NOT_HELD for a in self.past)

    @property
    def days_to_answer(self) -> int | None:
        """Days from the report to the first answering activity (never negative)."""
        if self.first_answer is None:
            return None
        return max(0, (self.first_answer - self.need.reported).days)


def need_paths(catalog: Catalog, by_need: dict[str, Related], tz: ZoneInfo) -> dict[str, NeedPath]:
    """Every need's path, in the catalogue's order of needs, from the site graph's activities of each need."""
    paths = {}
    for slug, need in catalog.needs.items():
        ahead, behind = by_need[slug].upcoming, by_need[slug].past
        starts = [a.start.astimezone(tz).date() for a in (*ahead, *behind) if a.status != "cancelled"]
        held = [a for a in behind if a.status not in NOT_HELD and a.outcome is not None]
        participants = [a.outcome.participants for a in held if a.outcome and a.outcome.participants is not None]
        organisations = [a.outcome.organisations for a in held if a.outcome and a.outcome.organisations is not None]
        results = tuple(reversed([a for a in behind if a.outcome is not None or a.materials]))
        paths[slug] = NeedPath(need, ahead, behind, min(starts, default=None),
                               sum(participants) if participants else None,
                               sum(organisations) if organisations else None, results)
    return paths


def is_past(activity: Activity, now: datetime) -> bool:
    from .graph import is_upcoming

    return not is_upcoming(activity, now)


def lifecycle_warnings(catalog: Catalog, now: datetime) -> list[Problem]:
    """What depends on `now`: a need planned for more than a year, an open need that activities already answer,
    an outcome recorded for an activity that has not taken place."""
    problems = Problems()
    today = now.astimezone(ZoneInfo(catalog.config.timezone)).date()
    answering: dict[str, list[Activity]] = {}
    for activity in catalog.activities:
        for need in activity.needs:
            answering.setdefault(need.slug, []).append(activity)
        if activity.outcome is not None and not is_past(activity, now):
            problems.warn(activity.source.path, activity.source.line_of("outcome"), "outcome", _(
                "the activity has not taken place yet; the outcome is shown once it is over"))
    for slug, need in catalog.needs.items():
        line = need.source.line_of("status")
        if need.status == "planned" and today - need.reported > PLANNED_TOO_LONG and not answering.get(slug):
            problems.warn(need.source.path, line, "status", _(
                "planned since the need was reported on {date}, more than a year ago; add the activity that answers "
                "it or change the status", date=need.reported.isoformat()))
        if need.status == "open" and answering.get(slug):
            problems.warn(need.source.path, line, "status", _(
                "{activity} answers the need; change the status to planned or answered",
                activity=answering[slug][0].slug))
    return problems.warnings

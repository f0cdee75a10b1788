"""Build-time checks of the calendar against the previous build: UIDs that vanished without being cancelled,
schedules that changed while SEQUENCE did not grow, and feeds too large for Google Calendar.

The previous output's per-activity .ics files are the record of what subscribers have: they are read with a
small line scanner (unfold, then UID, SEQUENCE, DTSTART, DTEND, LOCATION, STATUS per VEVENT), which is enough to
compare and fast for 10,000 files; the new files are scanned the same way, so both sides are read alike.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..cache import PageRecord, Records, sizes
from ..errors import WARNING, Problem, display_path
from ..i18n import _
from .ical import activity_uids

if TYPE_CHECKING:
    from ..views import Views

#: Google Calendar stops reading a subscription somewhere past 1 MB.
MAX_FEED_BYTES = 1_000_000
FINGERPRINT = frozenset({"DTSTART", "DTEND", "LOCATION", "STATUS"})


@dataclass(frozen=True, slots=True)
class Published:
    """One VEVENT as published: its UID, SEQUENCE and scheduling fingerprint (time, place, status lines)."""

    uid: str
    sequence: int
    fingerprint: tuple[str, ...]


def scan(data: bytes) -> dict[str, Published]:
    """The VEVENTs of an iCalendar file by UID (a tolerant reader: unknown lines are skipped)."""
    text = data.replace(b"\r\n ", b"").replace(b"\r\n\t", b"").decode("utf-8", "replace")
    events: dict[str, Published] = {}
    inside = False
    uid, sequence, lines = "", 0, list[str]()
    for line in text.splitlines():
        if line == "BEGIN:VEVENT":
            inside, uid, sequence, lines = True, "", 0, []
        elif line == "END:VEVENT":
            if uid:
                events[uid] = Published(uid, sequence, tuple(sorted(lines)))
            inside = False
        elif inside:
            name = line.split(":", 1)[0].split(";", 1)[0].upper()
            if name == "UID":
                uid = line.split(":", 1)[1] if ":" in line else ""
            elif name == "SEQUENCE":
                value = line.split(":", 1)[1] if ":" in line else "0"
                sequence = int(value) if value.strip().isdigit() else 0
            elif name in FINGERPRINT:
                lines.append(line)
    return events


def check_feeds(views: Views, output: Path, records: Records, previous: Mapping[str, PageRecord],
                published: dict[str, tuple[str, dict[str, Published]]], gone: Iterable[str]) -> list[Problem]:
    """Warnings for the editor (the build still publishes): see the module docstring.

    `records` are the new outputs (path → record), `previous` the manifest of the last build, `published`
    the activity's slug and the scanned events of every per-activity download whose bytes changed (made by the
    build as it wrote them), and `gone` the files of the last build this one does not make. Only those
    downloads, and the previous build's versions of them, are read."""
    problems: list[Problem] = []
    for path, size in sizes(records):  # (the size first: 37,000 records on every save of the live preview)
        if size > MAX_FEED_BYTES and path.endswith(".ics"):
            problems.append(Problem(
                display_path(output / path), 0, "", _("the feed is {size} kB; Google Calendar does not read "
                "subscriptions over 1 MB, so subscribers through Google get no new activities from it",
                size=size // 1000), WARNING))
    if not previous:
        return problems
    old_downloads = {rel for rel in gone if _is_download(rel)}
    if not published and not old_downloads:
        return problems  # no download was made anew or went away: nothing to compare
    by_slug = {a.slug: a for a in views.site.catalog.activities}
    before: dict[str, tuple[Published, Path]] = {}
    for rel in sorted(set(published) | old_downloads):
        if rel not in previous:
            continue
        with contextlib.suppress(OSError):
            for uid, event in scan((output / rel).read_bytes()).items():
                before[uid] = (event, output / rel)
    current = {uid for slug, _events in published.values() for uid in activity_uids(by_slug[slug])}
    if set(before) - current:  # a UID may have moved to another activity: look at all of them
        current = {uid for a in views.site.catalog.activities for uid in activity_uids(a)}
    now: datetime = views.site.now.astimezone(views.site.tz)
    warned: set[str] = set()
    for _rel, (slug, events) in sorted(published.items()):
        activity = by_slug[slug]
        for uid, event in events.items():
            old = before.get(uid)
            if activity.slug in warned or old is None or old[0].fingerprint == event.fingerprint \
                    or event.sequence > old[0].sequence:
                continue
            warned.add(activity.slug)
            example = f"{now:%Y-%m-%d %H:%M}"
            problems.append(Problem(
                activity.source.path, 0, "updated", _(
                    "time, place or status has changed since the last build but the calendar's SEQUENCE did not "
                    "grow ({before} → {after}), so calendars that already have the activity may keep the old "
                    "details; set updated to the time of the change, e.g. updated: {example}",
                    before=old[0].sequence, after=event.sequence, example=example), WARNING))
    for uid in sorted(set(before) - current):
        _event, file = before[uid]
        problems.append(Problem(
            display_path(file), 0, "uid", _(
                "the calendar event {uid} was published by the last build but is gone: subscribers see it "
                "disappear without notice and whoever downloaded it keeps it; do not delete a published activity "
                "but set status: cancelled (if it was a draft shown with --drafts you can ignore this warning)",
                uid=uid), WARNING))
    return problems


def _is_download(rel: str) -> bool:
    """A per-activity download of a previous build: aktiviteter/<slug>/<file>.ics."""
    return rel.endswith(".ics") and rel.count("/") == 2

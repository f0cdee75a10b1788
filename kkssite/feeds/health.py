"""Build-time checks of the calendar against the previous build: UIDs that vanished without being cancelled,
schedules that changed while SEQUENCE did not grow, and feeds too large for Google Calendar.

The previous output's per-activity .ics files are the record of what subscribers have: they are read with a
small line scanner (unfold, then UID, SEQUENCE, DTSTART, DTEND, LOCATION, STATUS per VEVENT), which is enough to
compare and fast for 10,000 files; the new files are scanned the same way, so both sides are read alike.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..cache import PageRecord, on_disk
from ..errors import WARNING, Problem, display_path
from ..graph import Site
from ..model import Activity
from .common import STOCKHOLM
from .ical import activity_ics, activity_uids, deadline_ics

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
    uid, sequence, lines = "", 0, []
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


def previous_files(output: Path, files: dict[str, bytes] | None = None,
                   manifest: dict[str, PageRecord] | None = None) -> dict[str, tuple[Path, bytes]]:
    """The per-activity downloads of the previous build: output path → (file, bytes).

    With the build cache's manifest, a download whose new bytes have the digest it was written with (and that
    is on disk as it was written) is not read again: its old bytes are the new ones."""
    found: dict[str, tuple[Path, bytes]] = {}
    if manifest:
        for rel, record in manifest.items():
            if not (rel.startswith("aktiviteter/") and rel.endswith(".ics") and rel.count("/") == 2):
                continue
            file = output / rel
            data = (files or {}).get(rel)
            if data is not None and on_disk(file) == (record.size, record.mtime_ns) \
                    and hashlib.sha256(data).hexdigest() == record.digest:
                found[rel] = (file, data)
                continue
            with contextlib.suppress(OSError):
                found[rel] = (file, file.read_bytes())
        return found
    folder = output / "aktiviteter"
    if not folder.is_dir():
        return found
    for file in sorted(folder.glob("*/*.ics")):
        try:
            found[file.relative_to(output).as_posix()] = (file, file.read_bytes())
        except OSError:
            continue
    return found


def check_feeds(site: Site, files: dict[str, bytes], output: Path, subscriptions: list[str],
                manifest: dict[str, PageRecord] | None = None) -> list[Problem]:
    """Warnings for the editor (the build still publishes): see the module docstring. Only downloads whose
    bytes changed since the previous build are scanned."""
    problems: list[Problem] = []
    for path in subscriptions:
        size = len(files[path])
        if path.endswith(".ics") and size > MAX_FEED_BYTES:
            problems.append(Problem(
                display_path(output / path), 0, "", f"flödet är {size // 1000} kB; Google Kalender läser inte "
                "prenumerationer över 1 MB, så prenumeranter via Google får inga nya aktiviteter härifrån",
                WARNING))
    files_before = previous_files(output, files, manifest)
    if not files_before:
        return problems
    current: set[str] = set()
    unchanged: set[str] = set()
    changed: list[tuple[Activity, str]] = []
    for activity in site.catalog.activities:
        current.update(activity_uids(activity))
        for path in (activity_ics(activity), deadline_ics(activity)):
            old = files_before.get(path)
            if old is not None and path in files and old[1] == files[path]:
                unchanged.add(path)
            elif path in files:
                changed.append((activity, path))
    before = {uid: (event, file) for rel, (file, data) in files_before.items() if rel not in unchanged
              for uid, event in scan(data).items()}
    now: datetime = site.now.astimezone(STOCKHOLM)
    warned: set[str] = set()
    for activity, path in changed:
        for uid, event in scan(files[path]).items():
            old = before.get(uid)
            if activity.slug in warned or old is None or old[0].fingerprint == event.fingerprint \
                    or event.sequence > old[0].sequence:
                continue
            warned.add(activity.slug)
            problems.append(Problem(
                activity.source.path, 0, "updated", f"tid, plats eller status har ändrats sedan förra bygget men "
                f"kalenderns SEQUENCE växte inte ({old[0].sequence} → {event.sequence}), så kalendrar som "
                "redan har aktiviteten kanske behåller den gamla uppgiften; sätt updated till tidpunkten för "
                f"ändringen, t.ex. updated: {now:%Y-%m-%d %H:%M}", WARNING))
    for uid in sorted(set(before) - current):
        _, file = before[uid]
        problems.append(Problem(
            display_path(file), 0, "uid", f"kalenderhändelsen {uid} publicerades i förra bygget men finns inte "
            "längre: prenumeranter ser den försvinna utan besked och den som laddat ner den behåller den; ta inte "
            "bort en publicerad aktivitet utan sätt status: cancelled (var det ett utkast som visades med "
            "--drafts kan du bortse från varningen)",
            WARNING))
    return problems

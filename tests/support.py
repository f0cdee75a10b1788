"""Helpers shared by the tests (import them from here, not from conftest, which pytest owns)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


#: A value for `activity()` that writes the key with nothing after its colon (`start:`), as `kkssite new` writes the
#: keys to fill in; `start: ""` (a quoted empty text) is how a web editor writes a field it cleared.
UNFILLED = " "


def activity(slug: str = "ny", **keys: str) -> dict[str, str]:
    """A valid activity file for the minimal fixture, with keys overridden (value '' removes a key)."""
    fields = {
        "title": "Ny aktivitet", "uid": f"test-{slug}@example.org", "type": "kurs", "professions": "[ljustekniker]",
        "art_forms": "[teater]", "city": "malmo", "start": "2027-02-03 09:00", "end": '"16:00"',
        "published": "2026-11-01",
    }
    fields.update(keys)
    front = "\n".join(f"{k}: {v}" for k, v in fields.items() if v != "")
    return {f"activities/{slug}.md": f"---\n{front}\n---\nEn beskrivning.\n"}

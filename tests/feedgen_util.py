"""Helpers for the feed tests (not a conftest): build a fixture site, read its feeds with the parsers, and
build a generated 500-activity site once per test session."""

from __future__ import annotations

import atexit
import importlib.util
import shutil
import tempfile
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import support
import vobject
from support import FIXTURES, NOW

from kkssite.build import BuildResult, build
from kkssite.config import BuildOptions

ROOT = Path(__file__).parent.parent
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def build_fixture(folder: Path, fixture: str = "feeds", files: dict[str, str | None] | None = None,
                  now: datetime = NOW, output: Path | None = None) -> tuple[Path, BuildResult]:
    """Copy tests/fixtures/<fixture> to folder/content (once), apply `files` (None deletes), build into
    folder/output (or `output`) and return (output, result)."""
    content = folder / "content"
    if not content.exists():
        shutil.copytree(FIXTURES / fixture, content)
    for rel, text in (files or {}).items():
        target = content / rel
        if text is None:
            target.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    output = output or folder / "output"
    result = build(BuildOptions(content=content, output=output, now=now, cache=folder / "cache"))
    return output, result


def ics_files(output: Path) -> list[Path]:
    return sorted(output.rglob("*.ics"))


def rss_files(output: Path) -> list[Path]:
    return sorted(p for p in output.rglob("*.xml") if p.name in ("feed.xml", "andringar.xml"))


def parse_ical(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def parse_vobject(data: bytes):  # type: ignore[no-untyped-def]
    return vobject.readOne(data.decode("utf-8"))


def events_by_uid(data: bytes) -> dict[str, icalendar.Event]:
    """The VEVENTs of a calendar by UID; fails on a duplicate UID within the file."""
    found: dict[str, icalendar.Event] = {}
    for event in parse_ical(data).walk("VEVENT"):
        uid = str(event["UID"])
        assert uid not in found, f"UID {uid} appears twice in one calendar"
        found[uid] = event
    return found


def vobject_events(data: bytes) -> dict[str, object]:
    cal = parse_vobject(data)
    return {str(e.uid.value): e for e in getattr(cal, "vevent_list", [])}


def unfolded(data: bytes) -> list[str]:
    return data.replace(b"\r\n ", b"").decode("utf-8").split("\r\n")


def activity_file(slug: str, **keys: str) -> dict[str, str]:
    """A valid activity for the feeds fixture (an evening in Karlskrona), with keys overridden."""
    fields = {"uid": f"feeds-{slug}@example.org", "city": "karlskrona", "start": "2027-02-03 19:00",
              "end": '"21:00"', **keys}
    return support.activity(slug, **fields)


# --- a generated 500-activity site -----------------------------------------------------------------------

#: Enough for every kind of activity bench/generate.py makes, in every facet, with feeds of hundreds of events.
GENERATED = 500


def _bench_generate():  # type: ignore[no-untyped-def]
    """bench/generate.py's `generate(n, outdir)` (the benchmark corpus, in the real content format)."""
    path = ROOT / "bench" / "generate.py"
    spec = importlib.util.spec_from_file_location("kkssite_bench_generate", path)
    assert spec and spec.loader, f"cannot load {path}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate


@cache
def generated_site(n: int = GENERATED) -> Path:
    """Generate an n-activity content folder with bench/generate.py and build it (once per test session);
    returns the output folder."""
    folder = Path(tempfile.mkdtemp(prefix="kkssite-feeds-"))
    atexit.register(shutil.rmtree, folder, True)
    content = _bench_generate()(n, folder / "content")
    build(BuildOptions(content=Path(content), output=folder / "output", now=NOW, cache=None))
    return folder / "output"


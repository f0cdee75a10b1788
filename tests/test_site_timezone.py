"""The time zone of site.yml is honoured everywhere: pages, cards, the filter's index, iCalendar (TZID and a
VTIMEZONE of that zone's real rules), RSS, JSON Feed and the open data — a site in Europe/Helsinki."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import vobject
from support import NOW, activity

from kkssite.build import build
from kkssite.config import BuildOptions


@pytest.fixture(scope="module")
def helsinki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from support import FIXTURES

    folder = tmp_path_factory.mktemp("helsinki")
    content = folder / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    site = content / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("Europe/Stockholm", "Europe/Helsinki"), encoding="utf-8")
    for rel, text in activity("sommar", title="Sommarkurs", start="2027-06-15 09:00", end='"16:00"').items():
        (content / rel).write_text(text, encoding="utf-8")
    build(BuildOptions(content=content, output=folder / "output", now=NOW, cache=None))
    return folder / "output"


def test_pages_and_cards_show_helsinki_time(helsinki: Path) -> None:
    page = (helsinki / "aktiviteter/sommar/index.html").read_text(encoding="utf-8")
    assert 'tisdag 15 juni 2027, <span class="nowrap">09.00–16.00</span>' in page
    index = json.loads((helsinki / "aktiviteter/index.json").read_text(encoding="utf-8"))
    card = next(i for i in index["items"] if index["p"] + i["u"] == "aktiviteter/sommar/")
    assert card["w"] == "tisdag 15 juni 2027, 09.00–16.00" and card["d"] == "2027-06-15T09:00:00+03:00"


def test_calendars_carry_the_zone_and_its_rules(helsinki: Path) -> None:
    data = (helsinki / "aktiviteter/sommar/sommar.ics").read_text(encoding="utf-8")
    assert "DTSTART;TZID=Europe/Helsinki:20270615T090000" in data
    assert "TZID:Europe/Helsinki" in data and "TZNAME:EEST" in data and "Stockholm" not in data
    event = vobject.readOne(data).vevent
    assert event.dtstart.value.utcoffset().total_seconds() == 3 * 3600  # read from the file's own VTIMEZONE
    feed = (helsinki / "kalender.ics").read_text(encoding="utf-8")
    assert "X-WR-TIMEZONE:Europe/Helsinki" in feed and feed.count("BEGIN:VTIMEZONE") == 1


def test_feeds_and_open_data_use_the_zone(helsinki: Path) -> None:
    rss = (helsinki / "feed.xml").read_text(encoding="utf-8")
    assert "<ev:startdate>2027-06-15T09:00:00+03:00</ev:startdate>" in rss
    feed = json.loads((helsinki / "feed.json").read_text(encoding="utf-8"))
    item = next(i for i in feed["items"] if i["url"].endswith("/sommar/"))
    assert item["_kulturkraft"]["start"] == "2027-06-15T09:00:00+03:00"
    data = json.loads((helsinki / "aktiviteter.json").read_text(encoding="utf-8"))
    assert data["timezone"] == "Europe/Helsinki" and data["updated"].endswith(("+02:00", "+03:00"))
    record = next(a for a in data["activities"] if a["slug"] == "sommar")
    assert record["start"] == "2027-06-15T09:00:00+03:00" and record["end"] == "2027-06-15T16:00:00+03:00"


def test_the_month_calendar_places_activities_on_helsinki_days(helsinki: Path) -> None:
    month = (helsinki / "kalender/2027/06/index.html").read_text(encoding="utf-8")
    assert "09.00–16.00" in month and "Sommarkurs" in month

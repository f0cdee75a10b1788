"""Regressions found when the sample site was fed to consumers our other tests do not use (ical.js, node-ical,
libical, calcurse, khal, newsboat, JavaScript feed readers, Google's structured-data rules) and read by a new
visitor: one test per defect, each reading the built output as those consumers and visitors do.

The sample site (content/) is built once at --now 2026-11-27 12:00, as the browser tests build it."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import feedparser
import icalendar
import pytest
from support import NOW

from kkssite.build import build
from kkssite.config import BuildOptions

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("consumers")
    shutil.copytree(ROOT / "content", work / "content")
    build(BuildOptions(content=work / "content", output=work / "output", now=NOW, cache=None))
    return work / "output"


def unfold(data: bytes) -> list[str]:
    return data.replace(b"\r\n ", b"").decode("utf-8").split("\r\n")


def text_of(html: str) -> str:
    """The visible text of a page, roughly: tags and scripts removed, white space collapsed."""
    html = re.sub(r"(?s)<(script|style|template)\b.*?</\1>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", "\u00a0").split())


# --- feeds ----------------------------------------------------------------------------------------------------


def test_change_items_are_html_once_not_escaped_twice(sample: Path) -> None:
    """andringar.xml: a reader shows the list of facts, not "<p>…</p><ul><li>" as text."""
    feed = feedparser.parse((sample / "andringar.xml").read_bytes())
    changed = [e for e in feed.entries if e.title.startswith("ÄNDRAT:")]
    assert changed
    for entry in changed:
        assert "<ul><li>" in entry.description and "&lt;" not in entry.description, entry.title


def test_feed_titles_outside_the_year_of_now_carry_the_year(sample: Path) -> None:
    """'tors 9 dec 17.00' for 9 December 2027 in a feed built in November 2026 would read as next week."""
    rss = feedparser.parse((sample / "feed.xml").read_bytes())
    json_feed = json.loads((sample / "feed.json").read_text(encoding="utf-8"))
    for titles in ([e.title for e in rss.entries], [i["title"] for i in json_feed["items"]]):
        assert "tors 9 dec. 2027 17.00 · Malmö – Framtidsträff – årets sista nätverksträff" in titles
        assert "tis 8 dec. 13.00 · Digitalt – Nå publiken i sociala medier – digital föreläsning" in titles
        assert all(" 2026 " not in t for t in titles), titles


def test_calendar_description_escapes_its_commas(sample: Path) -> None:
    """X-WR-CALDESC and DESCRIPTION of a calendar are TEXT values (RFC 5545 3.3.11): a comma is written '\\,'."""
    files = sorted(sample.rglob("kalender.ics"))
    assert len(files) > 100
    with_commas = 0
    for file in files:
        for line in unfold(file.read_bytes()):
            if line.startswith(("X-WR-CALDESC:", "DESCRIPTION:")) and "BEGIN" not in line:
                value = line.split(":", 1)[1]
                assert not re.search(r"(?<!\\),", value), (file, line)
                with_commas += line.startswith("X-WR-CALDESC:") and "\\," in value
    assert with_commas > 100  # the text itself keeps its commas: "KulturKraft Syd, yrke Ljustekniker: …"


def test_related_to_names_events_that_exist(sample: Path) -> None:
    """Every RELATED-TO names the UID of an event some file holds (libical and khal look it up). Every event
    is in the download of its activity (the feeds hold the same events)."""
    uids: set[str] = set()
    targets: dict[str, str] = {}
    for file in (sample / "aktiviteter").glob("*/*.ics"):
        for event in icalendar.Calendar.from_ical(file.read_bytes()).walk("VEVENT"):
            uids.add(str(event["UID"]))
            if "RELATED-TO" in event:
                targets[str(event["RELATED-TO"])] = str(event["UID"])
    assert len(targets) > 20
    missing = {target: uid for target, uid in targets.items() if target not in uids}
    assert not missing, f"{len(missing)} of {len(targets)} RELATED-TO targets are no event: {sorted(missing)[:5]}"


def test_sessions_of_a_course_are_siblings_and_its_deadline_belongs_to_the_first(sample: Path) -> None:
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(
        (sample / "aktiviteter/ljusdesign-for-scen-2027/ljusdesign-for-scen-2027.ics").read_bytes()).walk("VEVENT")}
    uid = "kks-2027-ljusdesign-scen@kulturkraftsyd.se"
    assert sorted(events) == [f"{uid}-{n}" for n in (1, 2, 3)]
    assert "RELATED-TO" not in events[f"{uid}-1"]
    for n in (2, 3):
        related = events[f"{uid}-{n}"]["RELATED-TO"]
        assert str(related) == f"{uid}-1" and related.params["RELTYPE"] == "SIBLING"
    [deadline] = icalendar.Calendar.from_ical(
        (sample / "aktiviteter/ljusdesign-for-scen-2027/ljusdesign-for-scen-2027-sista-dag.ics").read_bytes()
    ).walk("VEVENT")
    assert str(deadline["RELATED-TO"]) == f"{uid}-1"


# --- open data --------------------------------------------------------------------------------------------------


def test_open_data_ends_agree_with_the_calendar(sample: Path) -> None:
    """aktiviteter.json: an all-day `end` is the last day (inclusive, as schema.org and the page say it), the
    .ics DTEND the day after (exclusive, as RFC 5545 says); a session always has an `end`, and the last
    session's is the activity's."""
    data = json.loads((sample / "aktiviteter.json").read_text(encoding="utf-8"))
    for record in data["activities"]:
        sessions = record["sessions"]
        assert all(s["end"] is not None for s in sessions), record["slug"]
        assert sessions[-1]["end"] == record["end"], record["slug"]
        ics = (sample / record["ics_url"].removeprefix(data["home_page_url"])).read_bytes()
        events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")}
        for s in sessions:
            event = events[s["uid"]]
            if s["all_day"]:
                assert event["DTEND"].dt == date.fromisoformat(s["end"]) + timedelta(days=1), s
                assert event["DTSTART"].dt == date.fromisoformat(s["start"]), s
            elif "DTEND" in event:
                assert event["DTEND"].dt.isoformat() == s["end"], s
            else:
                assert s["end"] == s["start"], s  # no DTEND: the event ends as it starts (RFC 5545 3.6.1)
    one_day = next(r for r in data["activities"] if r["slug"] == "natverksdag-blekinge-2027")
    assert one_day["sessions"][0]["end"] == one_day["end"] == one_day["start"] == "2027-05-20"
    trip = next(r for r in data["activities"] if r["slug"] == "studieresa-edinburgh-2027")
    assert (trip["start"], trip["end"]) == ("2027-08-09", "2027-08-13")


def test_open_data_updated_has_the_offset_of_the_site(sample: Path) -> None:
    data = json.loads((sample / "aktiviteter.json").read_text(encoding="utf-8"))
    assert data["updated"].endswith(("+01:00", "+02:00")), data["updated"]


def test_readme_says_which_ends_are_inclusive() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("**`/aktiviteter.json`.**", 1)[1].split("**Serving the feeds.**", 1)[0]
    assert "inclusive" in section and "exclusive" in section and "DTEND" in section


# --- structured data ----------------------------------------------------------------------------------------------


def test_every_event_in_json_ld_has_a_location(sample: Path) -> None:
    """Google's event rules want `location` on every Event, the sessions (subEvent) of a course too."""
    checked = 0
    for page in (sample / "aktiviteter").glob("*/index.html"):
        html = page.read_text(encoding="utf-8")
        data = json.loads(html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0])
        for event in [data, *data.get("subEvent", [])]:
            assert "location" in event, (page, event["name"])
            checked += 1
    assert checked > 100


# --- wording a visitor reads ---------------------------------------------------------------------------------------


def test_needs_page_words(sample: Path) -> None:
    text = text_of((sample / "behov/index.html").read_text(encoding="utf-8"))
    assert "Inkomna behov" in text and "Besvarade behov" in text and "Behov som planeras" in text
    assert "Öppeta" not in text and "Besvarate" not in text and "Inkommeta" not in text
    assert "1 aktivitet " in text + " " and "1 aktiviteter" not in text


def test_not_found_page_says_har_flyttats(sample: Path) -> None:
    text = text_of((sample / "404.html").read_text(encoding="utf-8"))
    assert "har flyttats" in text and "har flyttat " not in text


def test_venue_text_that_names_the_city_is_not_followed_by_it_again(sample: Path) -> None:
    text = text_of((sample / "aktiviteter/figurteater-for-vuxen-publik-2027/index.html").read_text(encoding="utf-8"))
    assert "Folkets hus, Höör" in text and "Höör, Höör" not in text


def test_half_year_choices_read_well_with_their_counts(sample: Path) -> None:
    """filter.js adds the number of hits to every choice: 'Hösten 2026 (juli–december) (1)' had two brackets."""
    index = json.loads((sample / "aktiviteter/index.json").read_text(encoding="utf-8"))
    labels = [o[1] for group in index["periods"] for o in group["o"]]
    assert "Våren 2027, januari–juni" in labels
    assert not [label for label in labels if label.endswith(")")], labels
    form = (sample / "aktiviteter/index.html").read_text(encoding="utf-8")
    texts = json.loads(re.search(r'data-texts="([^"]*)"', form)[1].replace("&#34;", '"').replace("&quot;", '"'))
    assert texts["count"] == "{label} ({n})"
    script = next((sample / "static").glob("filter.*.js")).read_text(encoding="utf-8")
    assert 'say("count"' in script and '" (" + n + ")"' not in script


def test_cancelled_activity_shows_no_registration_deadline(sample: Path) -> None:
    html = (sample / "aktiviteter/figurteater-for-vuxen-publik-2027/index.html").read_text(encoding="utf-8")
    text = text_of(html.split('class="more-like"', 1)[0])  # not the cards of other activities it suggests
    assert "inställd" in text.lower()
    assert "Sista anmälningsdag" not in text and "Anmäl dig" not in text


def test_bodies_do_not_repeat_the_automatic_leaders_section(sample: Path) -> None:
    """The page lists `leaders` under "Kursledare och medverkande" itself; a body heading of its own repeats it
    (the guide's main example and a sample course did)."""
    repeated = re.compile(r"(?m)^#{1,6}\s*(Kursledare|Medverkande|Kursledare och medverkande)\s*$")
    for file in sorted((ROOT / "content/activities").glob("*.md")):
        text = file.read_text(encoding="utf-8")
        if "\nleaders:" in text:
            assert not repeated.search(text.split("\n---\n", 1)[1]), file.name
    guide = (ROOT / "content/README.md").read_text(encoding="utf-8")
    example = guide.split("<!-- test: content/activities/intimitetskoordination-i-praktiken-2027.md -->", 1)[1]
    example = example.split("\n```\n", 1)[0]
    assert "leaders:" in example and not repeated.search(example)

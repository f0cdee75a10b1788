"""RSS 2.0 feeds: every feed parses with feedparser without bozo; items, dates and the changes feed."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest
from feedgen_util import activity_file, build_fixture, generated_site, rss_files

ATOM = "{http://www.w3.org/2005/Atom}"
EV = "{http://purl.org/rss/1.0/modules/event/}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output, _ = build_fixture(tmp_path_factory.mktemp("rss"))
    return output


def parse(path: Path) -> feedparser.FeedParserDict:
    feed = feedparser.parse(path.read_bytes())
    assert feed.bozo == 0, (path, feed.get("bozo_exception"))
    assert feed.version == "rss20"
    return feed


def test_every_rss_feed_parses_without_bozo(site: Path, tmp_path: Path) -> None:
    minimal, _ = build_fixture(tmp_path, "minimal")
    files = rss_files(site) + rss_files(minimal)
    assert len(files) > 40
    for path in files:
        parse(path)


def test_every_facet_and_combination_has_a_feed(site: Path) -> None:
    for rel in ("feed.xml", "andringar.xml", "yrken/ljustekniker/feed.xml", "yrken/ljustekniker/blekinge/feed.xml",
                "yrkeskategorier/teknisk/feed.xml", "konstformer/dans/feed.xml", "typer/kurs/feed.xml",
                "orter/malmo/feed.xml", "regioner/blekinge/feed.xml"):
        assert (site / rel).is_file(), rel
        assert (site / rel.replace("feed.xml", "kalender.ics")).is_file() or rel == "andringar.xml"


def test_channel_has_self_link_and_content_dated_last_build(site: Path) -> None:
    root = ElementTree.parse(site / "yrken/ljustekniker/feed.xml").getroot()
    channel = root.find("channel")
    assert channel is not None
    self_link = channel.find(f"{ATOM}link")
    assert self_link is not None
    assert self_link.get("rel") == "self"
    assert self_link.get("href") == "https://example.org/kalender/yrken/ljustekniker/feed.xml"
    assert channel.findtext("title") == "Testkalendern – Ljustekniker"
    assert channel.findtext("language") == "sv"
    # the newest change among the feed's activities: uppskjuten.md (all professions), updated 2026-11-10
    assert parsedate_to_datetime(channel.findtext("lastBuildDate") or "") == datetime(2026, 11, 9, 23, 0,
                                                                                      tzinfo=UTC)


def test_items_newest_published_first_with_stable_guid(site: Path) -> None:
    feed = parse(site / "yrken/ljustekniker/feed.xml")
    links = [e.link for e in feed.entries]
    assert links == [f"https://example.org/kalender/aktiviteter/{slug}/"
                     for slug in ("sommar", "uppskjuten", "vinter", "heldag", "nyligen")]
    for entry in feed.entries:
        assert entry.id == entry.link
    vinter = feed.entries[2]
    assert vinter.title == "tis 19 jan. 2027 19.00 · Malmö – Ljusdesign för scen"
    assert datetime(*vinter.published_parsed[:6], tzinfo=UTC) == datetime(2026, 9, 30, 22, 0, tzinfo=UTC)
    assert {"Kurs", "Ljustekniker", "Teater", "Malmö"} <= {t.term for t in vinter.tags}
    assert "Scenhuset, Storgatan 1, 211 00 Malmö" in vinter.description
    assert "gammal" not in " ".join(links)


def test_item_titles_carry_the_year_when_it_is_not_the_year_of_now(site: Path) -> None:
    """'tors 9 dec 17.00' reads as next week; an item of another year than that of --now says its year."""
    titles = {e.link.rsplit("/", 2)[-2]: e.title for e in parse(site / "feed.xml").entries}
    assert titles["nyligen"].startswith("tors 20 aug. 18.00 · ")  # 2026, the year of NOW
    assert titles["vinter"].startswith("tis 19 jan. 2027 19.00 · ")


def test_items_carry_event_dates(site: Path) -> None:
    root = ElementTree.parse(site / "feed.xml").getroot()
    item = next(i for i in root.iter("item") if i.findtext("link", "").endswith("/sommar/"))
    assert item.findtext(f"{EV}startdate") == "2027-06-15T19:00:00+02:00"
    assert item.findtext(f"{EV}enddate") == "2027-06-15T21:00:00+02:00"
    assert item.findtext(f"{EV}location") == "Blekinge teater, Ronnebygatan 1, Karlskrona"


def test_changes_feed_has_cancellations_postponements_and_change_log(site: Path) -> None:
    feed = parse(site / "andringar.xml")
    by_id = {e.id: e for e in feed.entries}
    cancelled = by_id["https://example.org/kalender/aktiviteter/installd/#installt"]
    assert cancelled.title.startswith("INSTÄLLT: ")
    assert "Kursledaren är sjuk." in cancelled.description
    assert datetime(*cancelled.published_parsed[:6], tzinfo=UTC) == datetime(2026, 11, 20, 13, 30, tzinfo=UTC)
    postponed = by_id["https://example.org/kalender/aktiviteter/uppskjuten/#uppskjutet"]
    assert postponed.title.startswith("UPPSKJUTET: ")
    change = by_id["https://example.org/kalender/aktiviteter/installd/#andring-1"]
    assert change.title.startswith("ÄNDRAT: Inställd workshop i dans")
    assert "Workshoppen är inställd." in change.description
    # the change note and the item's facts are HTML once, not escaped again: readers show a list, not "<ul>"
    assert change.description.startswith("<p><strong>Ändrat ") and "<ul><li><strong>Status:</strong>" in change.description
    assert "&lt;" not in change.description
    assert len(feed.entries) == 3
    dates = [e.published_parsed for e in feed.entries]
    assert dates == sorted(dates, reverse=True)


def test_text_with_markup_characters_is_escaped(tmp_path: Path) -> None:
    title = 'Ljud & ljus <live> "på riktigt"'
    output, _ = build_fixture(tmp_path, files=activity_file("tecken2", title=f"'{title}'"))
    feed = parse(output / "feed.xml")
    entry = next(e for e in feed.entries if e.link.endswith("/tecken2/"))
    assert entry.title.endswith(f" – {title}")
    assert b"<live>" not in (output / "feed.xml").read_bytes()


def test_empty_feed_is_valid_with_a_content_date(tmp_path: Path) -> None:
    output, _ = build_fixture(tmp_path, "minimal")
    feed = parse(output / "yrken/producent/blekinge/feed.xml")
    assert feed.entries == []
    assert feed.feed.updated  # lastBuildDate present, from the content


@pytest.mark.slow
def test_generated_site_rss_all_parse() -> None:
    output = generated_site()
    files = rss_files(output)
    assert len(files) > 100
    for path in files:
        feed = parse(path)
        assert len(feed.entries) <= 50
        assert len({e.id for e in feed.entries}) == len(feed.entries)

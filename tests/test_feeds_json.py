"""JSON Feed 1.1 (validated against the schema in tests/fixtures/jsonfeed/), open data, host headers."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from feedgen_util import FIXTURES, activity_file, build_fixture, generated_site
from referencing import Registry, Resource

SCHEMAS = FIXTURES / "jsonfeed"  # copied unchanged from shared/schemas/jsonfeed (SchemaStore's JSON Feed 1.1)


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    feed = json.loads((SCHEMAS / "feed.json").read_text(encoding="utf-8"))
    version1 = json.loads((SCHEMAS / "feed-1.json").read_text(encoding="utf-8"))
    registry = Registry().with_resource("https://json.schemastore.org/feed-1", Resource.from_contents(version1))
    cls = jsonschema.validators.validator_for(feed)
    cls.check_schema(feed)
    return cls(feed, registry=registry, format_checker=cls.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output, _ = build_fixture(tmp_path_factory.mktemp("json"))
    return output


def load(path: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(path.read_text(encoding="utf-8"))


def test_schema_rejects_a_broken_feed(validator: jsonschema.protocols.Validator) -> None:
    broken = {"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": [{"id": "1", "title": "t"}]}
    assert list(validator.iter_errors(broken)), "an item without content must fail"
    assert list(validator.iter_errors({"title": "x", "items": [], "version": "1.1", "extra": 1}))


def test_feed_json_validates(site: Path, validator: jsonschema.protocols.Validator) -> None:
    feed = load(site / "feed.json")
    validator.validate(feed)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == "https://example.org/kalender/feed.json"
    assert feed["language"] == "sv"
    for item in feed["items"]:
        datetime.fromisoformat(item["date_published"])
        datetime.fromisoformat(item["date_modified"])
        assert item["id"] == item["url"]


def test_feed_json_has_the_same_items_as_feed_xml(site: Path) -> None:
    import feedparser

    rss = [e.link for e in feedparser.parse((site / "feed.xml").read_bytes()).entries]
    feed = load(site / "feed.json")
    assert [i["id"] for i in feed["items"]] == rss
    vinter = next(i for i in feed["items"] if i["url"].endswith("/vinter/"))
    assert vinter["title"] == "tis 19 jan. 2027 19.00 · Malmö – Ljusdesign för scen"
    event = vinter["_kulturkraft"]
    assert event["start"] == "2027-01-19T19:00:00+01:00"
    assert event["uid"] == "feeds-vinter@example.org"
    assert event["ics_url"] == "https://example.org/kalender/aktiviteter/vinter/vinter.ics"
    cancelled = next(i for i in feed["items"] if i["url"].endswith("/installd/"))
    assert cancelled["title"].startswith("INSTÄLLT: ")
    assert cancelled["_kulturkraft"]["status"] == "cancelled"


def test_open_data_lists_every_activity(site: Path) -> None:
    data = load(site / "aktiviteter.json")
    slugs = [a["slug"] for a in data["activities"]]
    assert data["count"] == len(slugs) == 11
    assert "gammal" in slugs  # the whole archive, not only the feed window
    record = next(a for a in data["activities"] if a["slug"] == "dst-mars")
    assert record["uid"] == "feeds-dst-mars@example.org"
    assert [s["uid"] for s in record["sessions"]] == [f"feeds-dst-mars@example.org-{n}" for n in (1, 2, 3)]
    assert [s["start"] for s in record["sessions"]] == ["2027-03-27T19:00:00+01:00", "2027-03-28T19:00:00+02:00",
                                                         "2027-03-29T19:00:00+02:00"]
    assert record["registration"]["kind"] == "ansökan"
    assert record["registration"]["deadline"] == "2027-03-01T12:00:00+01:00"
    assert record["professions"] == [{"slug": "dansare", "name": "Dansare"}]
    assert record["region"] == {"slug": "skane", "name": "Skåne"}
    for activity in data["activities"]:
        rel = activity["ics_url"].removeprefix("https://example.org/kalender/")
        assert (site / rel).is_file()
        deadline = (activity["registration"] or {}).get("deadline_ics_url")
        if deadline:
            assert (site / deadline.removeprefix("https://example.org/kalender/")).is_file()
    heldag = next(a for a in data["activities"] if a["slug"] == "heldag")
    assert (heldag["start"], heldag["end"], heldag["all_day"]) == ("2027-02-10", "2027-02-12", True)
    digital = next(a for a in data["activities"] if a["slug"] == "digital")
    assert digital["mode"] == "online"
    assert digital["location"] == "Digitalt"


def test_open_data_sequence_follows_updated(tmp_path: Path) -> None:
    output, _ = build_fixture(tmp_path, files=activity_file("seq", updated="2026-11-01 00:10"))
    record = next(a for a in load(output / "aktiviteter.json")["activities"] if a["slug"] == "seq")
    assert record["sequence"] == 10


def test_headers_file_serves_feed_media_types(site: Path) -> None:
    text = (site / "_headers").read_text(encoding="utf-8")
    blocks = {block.splitlines()[0]: block for block in text.split("\n\n")[1:]}
    assert "Content-Type: text/calendar; charset=utf-8" in blocks["/kalender/*.ics"]
    assert "Content-Type: application/rss+xml; charset=utf-8" in blocks["/kalender/*feed.xml"]
    assert "Content-Type: application/rss+xml; charset=utf-8" in blocks["/kalender/andringar.xml"]
    assert "Content-Type: application/feed+json; charset=utf-8" in blocks["/kalender/feed.json"]
    assert "Content-Type: application/json; charset=utf-8" in blocks["/kalender/aktiviteter.json"]


@pytest.mark.slow
def test_generated_site_json_validates(validator: jsonschema.protocols.Validator) -> None:
    output = generated_site()
    feed = load(output / "feed.json")
    validator.validate(feed)
    assert 0 < len(feed["items"]) <= 50
    data = load(output / "aktiviteter.json")
    assert data["count"] == len(data["activities"]) >= 450
    assert len({a["uid"] for a in data["activities"]}) == data["count"]


def test_open_data_is_as_before_with_the_records_and_the_head_it_had(tmp_path: Path) -> None:
    """What a patched build asks before it keeps /aktiviteter.json (feeds.AS_BEFORE): the changed activity's
    record must come out as the bytes stored under its earlier key, and the published file must begin with the
    head the build would write."""
    from support import NOW

    from kkssite.errors import Problems
    from kkssite.feeds.jsonfeed import open_data, open_data_as_before, record_json
    from kkssite.graph import build_site
    from kkssite.i18n import Language
    from kkssite.load import load as load_content
    from kkssite.model import record_id
    from kkssite.routes import Router
    from kkssite.validate import validate
    from kkssite.views import Earlier, Fragments, Views

    catalog = validate(load_content(FIXTURES / "minimal", Problems()), Problems())
    assert catalog is not None
    site = build_site(catalog, NOW)
    language = Language.load(catalog.config.language)
    router = Router(language, catalog.config.base_url)
    edited = catalog.activities[1]
    context = {"activities": catalog.activities}
    published = tmp_path / "aktiviteter.json"
    published.write_bytes(open_data(context, Views(site, language, router)))

    def as_before(store: dict[str, bytes], earlier: bool = True) -> bool:
        def key(when: str) -> Callable[[str, Any], str]:
            return lambda kind, value: f"{kind} {record_id(value)} {when}"
        fragments = Fragments(key("now"), lambda keys: {k: store[k] for k in keys if k in store},
                              earlier=Earlier(key("before"), frozenset({record_id(edited)})) if earlier else None)
        return open_data_as_before(context, Views(site, language, router, fragments=fragments), published)

    record = record_json(Views(site, language, router), edited)
    earlier_key = f"open-record {record_id(edited)} before"
    assert as_before({earlier_key: record})
    assert not as_before({earlier_key: record.replace(b'"uid":', b'"uid": ')})  # the record came out otherwise
    assert not as_before({})  # the earlier record is not in the store
    assert not as_before({earlier_key: record}, earlier=False)  # not a patch
    published.write_bytes(published.read_bytes().replace(b'{"version":1,', b'{"version":2,', 1))
    assert not as_before({earlier_key: record})  # the published file was written with another head

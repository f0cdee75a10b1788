"""iCalendar feeds: every .ics parses with icalendar and vobject; times, UIDs, SEQUENCE, escaping, folding."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from feedgen_util import (
    NOW,
    STOCKHOLM,
    activity_file,
    build_fixture,
    events_by_uid,
    generated_site,
    ics_files,
    parse_ical,
    parse_vobject,
    unfolded,
    vobject_events,
)

from kkssite.feeds import health


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output, result = build_fixture(tmp_path_factory.mktemp("feeds"))
    assert result.feeds > 0
    return output


def read(output: Path, rel: str) -> bytes:
    return (output / rel).read_bytes()


def check_calendar_file(data: bytes) -> None:
    """What every .ics must satisfy: both parsers read it, CRLF only, lines ≤ 75 octets that each decode."""
    cal = parse_ical(data)
    assert cal.name == "VCALENDAR"
    vcal = parse_vobject(data)
    assert len(getattr(vcal, "vevent_list", [])) == len(cal.walk("VEVENT"))
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b""), "bare LF"
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits å, ä or ö
    text = data.decode("utf-8")
    assert text.count("BEGIN:VTIMEZONE") == 1
    assert "RDATE" not in text
    assert text.index("END:VTIMEZONE") < text.find("BEGIN:VEVENT") or "BEGIN:VEVENT" not in text
    for line in unfolded(data):
        if line.startswith(("DTSTART", "DTEND")) and "VTIMEZONE" not in line:
            assert 'TZID="' not in line
    uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
    assert len(uids) == len(set(uids)), "duplicate UID in one calendar"


def test_every_ics_of_the_fixture_sites_parses_in_both_parsers(site: Path, tmp_path: Path) -> None:
    minimal, _ = build_fixture(tmp_path, "minimal")
    files = ics_files(site) + ics_files(minimal)
    assert len(files) > 40
    for file in files:
        check_calendar_file(file.read_bytes())


def test_event_times_carry_the_stockholm_zone(site: Path) -> None:
    for file in ics_files(site):
        events = unfolded(file.read_bytes())
        events = events[events.index("END:VTIMEZONE"):]  # the VTIMEZONE's own DTSTARTs are local wall times
        for line in events:
            if re.match(r"^(DTSTART|DTEND)[;:]", line):
                assert line.startswith(("DTSTART;TZID=Europe/Stockholm:", "DTEND;TZID=Europe/Stockholm:",
                                        "DTSTART;VALUE=DATE:", "DTEND;VALUE=DATE:")), line


def test_feed_names_itself_and_asks_to_be_refreshed(site: Path) -> None:
    cal = parse_ical(read(site, "yrken/ljustekniker/kalender.ics"))
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]).startswith("-//KulturKraft Syd//")
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["NAME"]) == "Testkalendern – Ljustekniker"
    assert str(cal["X-WR-CALNAME"]) == "Testkalendern – Ljustekniker"
    assert "Ljustekniker" in str(cal["X-WR-CALDESC"])
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Stockholm"
    text = read(site, "yrken/ljustekniker/kalender.ics").decode()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in text
    assert "X-PUBLISHED-TTL:PT6H\r\n" in text
    combination = parse_ical(read(site, "yrken/ljustekniker/blekinge/kalender.ics"))
    assert str(combination["X-WR-CALNAME"]) == "Testkalendern – Ljustekniker i Blekinge"
    assert str(parse_ical(read(site, "typer/kurs/kalender.ics"))["NAME"]) == "Testkalendern – Kurser"


def test_single_activity_download_has_no_calendar_name(site: Path) -> None:
    data = read(site, "aktiviteter/vinter/vinter.ics")
    cal = parse_ical(data)
    for name in ("NAME", "X-WR-CALNAME", "X-WR-CALDESC", "REFRESH-INTERVAL"):
        assert name not in cal
    assert str(cal["METHOD"]) == "PUBLISH"
    assert list(events_by_uid(data)) == ["feeds-vinter@example.org"]


def test_feeds_carry_the_vtimezone_of_the_years_the_content_uses(site: Path) -> None:
    """One VTIMEZONE in the RRULE form for the content's years (tests/test_feeds_timezone.py checks the rules)."""
    text = read(site, "kalender.ics").decode()
    assert text.count("BEGIN:VTIMEZONE") == 1 and "RDATE" not in text
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text and "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in text
    assert text == text.replace("BYMONTH=9", "")  # no pre-1996 September rule: the fixture's years are later
    cal = parse_vobject(read(site, "kalender.ics"))
    for event in cal.vevent_list:
        start = event.dtstart.value
        if isinstance(start, datetime):
            assert start.utcoffset() == start.replace(tzinfo=STOCKHOLM).utcoffset()


def utc_of_icalendar(event) -> datetime:  # type: ignore[no-untyped-def]
    return event["DTSTART"].dt.astimezone(UTC)


GOLDEN = [
    # (uid, local wall time in the file, UTC instant): winter, summer, both DST weekends
    ("feeds-vinter@example.org", "20270119T190000", datetime(2027, 1, 19, 18, 0, tzinfo=UTC)),
    ("feeds-sommar@example.org", "20270615T190000", datetime(2027, 6, 15, 17, 0, tzinfo=UTC)),
    ("feeds-dst-mars@example.org-1", "20270327T190000", datetime(2027, 3, 27, 18, 0, tzinfo=UTC)),
    ("feeds-dst-mars@example.org-2", "20270328T190000", datetime(2027, 3, 28, 17, 0, tzinfo=UTC)),
    ("feeds-dst-mars@example.org-3", "20270329T190000", datetime(2027, 3, 29, 17, 0, tzinfo=UTC)),
    ("feeds-dst-oktober@example.org-1", "20271030T190000", datetime(2027, 10, 30, 17, 0, tzinfo=UTC)),
    ("feeds-dst-oktober@example.org-2", "20271031T190000", datetime(2027, 10, 31, 18, 0, tzinfo=UTC)),
    ("feeds-dst-oktober@example.org-3", "20271101T190000", datetime(2027, 11, 1, 18, 0, tzinfo=UTC)),
]


@pytest.mark.parametrize(("uid", "wall", "instant"), GOLDEN, ids=[g[0] for g in GOLDEN])
def test_golden_times_in_both_parsers(site: Path, uid: str, wall: str, instant: datetime) -> None:
    data = read(site, "kalender.ics")
    assert f"UID:{uid}\r\n" in data.decode()
    event = events_by_uid(data)[uid]
    assert event.content_line("DTSTART", event["DTSTART"]).endswith(f";TZID=Europe/Stockholm:{wall}")
    assert utc_of_icalendar(event) == instant
    assert event["DTSTART"].dt.astimezone(STOCKHOLM).hour == 19
    # vobject builds its tzinfo from the file's own VTIMEZONE, so this checks the VTIMEZONE itself
    vevent = vobject_events(data)[uid]
    start = vevent.dtstart.value  # type: ignore[attr-defined]
    assert (start.hour, start.minute) == (19, 0)
    assert start.astimezone(UTC) == instant
    assert (event["DTEND"].dt - event["DTSTART"].dt) == timedelta(hours=2)


def test_all_day_event_ends_the_day_after(site: Path) -> None:
    event = events_by_uid(read(site, "aktiviteter/heldag/heldag.ics"))["feeds-heldag@example.org"]
    assert event["DTSTART"].dt == date(2027, 2, 10)
    assert event["DTEND"].dt == date(2027, 2, 13)


def test_uids_identical_across_feeds(site: Path) -> None:
    seen: dict[str, tuple[str, str, str]] = {}
    for file in ics_files(site):
        for uid, event in events_by_uid(file.read_bytes()).items():
            facts = (str(event["SUMMARY"]), event["DTSTART"].to_ical().decode(), str(event["SEQUENCE"]))
            assert seen.setdefault(uid, facts) == facts, f"{uid} differs in {file}"
    assert "feeds-vinter@example.org" in seen
    everywhere = [f for f in ics_files(site) if b"UID:feeds-vinter@example.org\r\n" in f.read_bytes()]
    names = {f.relative_to(site).as_posix() for f in everywhere}
    assert {"kalender.ics", "yrken/ljustekniker/kalender.ics", "yrken/ljustekniker/skane/kalender.ics",
            "orter/malmo/kalender.ics", "regioner/skane/kalender.ics", "typer/kurs/kalender.ics",
            "konstformer/teater/kalender.ics", "aktiviteter/vinter/vinter.ics"} <= names
    assert "yrken/ljustekniker/blekinge/kalender.ics" not in names


def test_sessions_get_their_own_uid_related_to_the_course(site: Path) -> None:
    events = events_by_uid(read(site, "aktiviteter/dst-mars/dst-mars.ics"))
    assert sorted(events) == [f"feeds-dst-mars@example.org-{n}" for n in (1, 2, 3)]
    for n, (uid, event) in enumerate(sorted(events.items()), start=1):
        # the course's own uid is no event: the later sessions are siblings of the first
        assert str(event.get("RELATED-TO")) == ("None" if n == 1 else "feeds-dst-mars@example.org-1"), uid
        assert str(event["SUMMARY"]) == f"Tre kvällar kring sommartiden ({n}/3)"


def test_deadline_event_in_feeds_and_as_own_download(site: Path) -> None:
    uid = "feeds-dst-mars@example.org-deadline"
    own = events_by_uid(read(site, "aktiviteter/dst-mars/dst-mars-sista-dag.ics"))
    assert list(own) == [uid]
    event = own[uid]
    assert str(event["SUMMARY"]) == "Sista ansökningsdag: Tre kvällar kring sommartiden"
    assert event["DTSTART"].dt == date(2027, 3, 1)
    assert event["DTEND"].dt == date(2027, 3, 2)
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert "12.00" in str(event["DESCRIPTION"])
    assert uid in events_by_uid(read(site, "yrken/dansare/kalender.ics"))
    assert uid in events_by_uid(read(site, "kalender.ics"))
    anmalan = events_by_uid(read(site, "aktiviteter/sommar/sommar-sista-dag.ics"))
    assert str(anmalan["feeds-sommar@example.org-deadline"]["SUMMARY"]) == "Sista anmälningsdag: Sommarljus på turné"
    assert not (site / "aktiviteter/vinter/vinter-sista-dag.ics").exists()


def test_text_is_escaped_and_round_trips(site: Path) -> None:
    data = read(site, "aktiviteter/tecken/tecken.ics")
    raw = data.replace(b"\r\n ", b"").decode()
    assert "SUMMARY:Ljus\\, ljud\\; och \\\\ bakstreck – åäö ÅÄÖ" in raw
    assert "LOCATION:Folkets hus\\, Storgatan 1\\; sal B\\\\C\\, Malmö\r\n" in raw
    assert "semikolon.\\nAndra raden" in raw
    event = events_by_uid(data)["feeds-tecken@example.org"]
    title = "Ljus, ljud; och \\ bakstreck – åäö ÅÄÖ i en titel som är så lång att raden måste vikas i kalenderfilen"
    assert str(event["SUMMARY"]) == title
    assert str(event["LOCATION"]) == "Folkets hus, Storgatan 1; sal B\\C, Malmö"
    assert "Första raden, med komma; och semikolon.\nAndra raden med \\ bakstreck och åäö." in str(event["DESCRIPTION"])
    vevent = vobject_events(data)["feeds-tecken@example.org"]
    assert vevent.summary.value == title  # type: ignore[attr-defined]
    assert vevent.location.value == "Folkets hus, Storgatan 1; sal B\\C, Malmö"  # type: ignore[attr-defined]
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    assert any(len(line) > 60 and "å".encode() in line for line in data.split(b"\r\n"))


def test_event_properties(site: Path) -> None:
    event = events_by_uid(read(site, "kalender.ics"))["feeds-vinter@example.org"]
    assert str(event["URL"]) == "https://example.org/kalender/aktiviteter/vinter/"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "Scenhuset, Storgatan 1, 211 00 Malmö"
    assert str(event["ORGANIZER"]) == "mailto:info@kulturkraftsyd.se"
    assert event["ORGANIZER"].params["CN"] == "KulturKraft Syd"
    assert event["DTSTAMP"].dt == datetime(2026, 9, 30, 22, 0, tzinfo=UTC)  # published 2026-10-01, 00:00 local
    assert event["LAST-MODIFIED"].dt == event["DTSTAMP"].dt
    assert event["SEQUENCE"] == 0
    assert "Ljustekniker" in event["CATEGORIES"].cats
    description = str(event["DESCRIPTION"])
    for part in ("En vinterkväll om ljus.", "När: tisdag 19 januari 2027, 19.00–21.00", "Pris: Kostnadsfritt",
                 "https://example.org/kalender/aktiviteter/vinter/"):
        assert part in description
    digital = events_by_uid(read(site, "kalender.ics"))["feeds-digital@example.org"]
    assert str(digital["LOCATION"]) == "Digitalt"


def test_cancelled_and_postponed_stay_in_the_feed_with_status(site: Path) -> None:
    events = events_by_uid(read(site, "kalender.ics"))
    cancelled = events["feeds-installd@example.org"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["SUMMARY"]) == "INSTÄLLT: Inställd workshop i dans"
    assert "Kursledaren är sjuk." in str(cancelled["DESCRIPTION"])
    postponed = events["feeds-uppskjuten@example.org"]
    assert str(postponed["STATUS"]) == "TENTATIVE"
    assert str(postponed["SUMMARY"]).startswith("UPPSKJUTET: ")


def test_feed_window_is_upcoming_plus_six_months(site: Path) -> None:
    feed = events_by_uid(read(site, "kalender.ics"))
    assert "feeds-nyligen@example.org" in feed  # ended three months ago
    assert "feeds-gammal@example.org" not in feed  # ended in 2025
    assert (site / "aktiviteter/gammal/gammal.ics").exists()
    assert "feeds-nyligen@example.org" in events_by_uid(read(site, "yrken/ljustekniker/blekinge/kalender.ics"))


def test_empty_feed_is_a_valid_calendar(tmp_path: Path) -> None:
    minimal, _ = build_fixture(tmp_path, "minimal")
    data = read(minimal, "yrken/producent/blekinge/kalender.ics")
    check_calendar_file(data)
    assert events_by_uid(data) == {}


def test_two_builds_give_identical_bytes(tmp_path: Path) -> None:
    first, _ = build_fixture(tmp_path / "a")
    second, _ = build_fixture(tmp_path / "b")
    names = sorted(p.relative_to(first).as_posix() for p in first.rglob("*")
                   if p.is_file() and p.suffix in (".ics", ".xml", ".json"))
    assert len(names) > 50
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_editing_time_with_updated_raises_sequence_and_keeps_uid(tmp_path: Path) -> None:
    output, _ = build_fixture(tmp_path, files=activity_file("flytt", updated="2026-11-02 10:00"))
    before = events_by_uid(read(output, "aktiviteter/flytt/flytt.ics"))["feeds-flytt@example.org"]
    output, result = build_fixture(tmp_path, files=activity_file(
        "flytt", start="2027-02-04 19:00", updated="2026-11-20 09:15"))
    after = events_by_uid(read(output, "aktiviteter/flytt/flytt.ics"))["feeds-flytt@example.org"]
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after["DTSTART"].dt.date() == date(2027, 2, 4)
    assert after["LAST-MODIFIED"].dt == datetime(2026, 11, 20, 8, 15, tzinfo=UTC)
    assert "feeds-flytt@example.org" in events_by_uid(read(output, "kalender.ics"))
    assert not [w for w in result.warnings if w.key in ("updated", "uid")]


def test_changed_time_without_updated_warns(tmp_path: Path) -> None:
    build_fixture(tmp_path, files=activity_file("flytt"))
    _, result = build_fixture(tmp_path, files=activity_file("flytt", start="2027-02-05 18:00"))
    warnings = [w for w in result.warnings if w.key == "updated"]
    assert len(warnings) == 1
    assert warnings[0].path.endswith("activities/flytt.md")
    assert "sätt updated" in warnings[0].message
    _, fixed = build_fixture(tmp_path, files=activity_file("flytt", start="2027-02-05 18:00",
                                                          updated="2026-11-27 11:00"))
    assert not [w for w in fixed.warnings if w.key == "updated"]


def test_cancelling_raises_sequence_without_updated(tmp_path: Path) -> None:
    output, _ = build_fixture(tmp_path, files=activity_file("stopp"))
    before = events_by_uid(read(output, "kalender.ics"))["feeds-stopp@example.org"]
    output, result = build_fixture(tmp_path, files=activity_file("stopp", status="cancelled"))
    after = events_by_uid(read(output, "kalender.ics"))["feeds-stopp@example.org"]
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert str(after["STATUS"]) == "CANCELLED"
    assert not [w for w in result.warnings if w.key in ("updated", "uid")]


def test_vanished_uid_warns(tmp_path: Path) -> None:
    build_fixture(tmp_path)
    _, result = build_fixture(tmp_path, files={"activities/dst-mars.md": None})
    vanished = sorted(w.message.split()[1] for w in result.warnings if w.key == "uid")
    assert vanished == ["feeds-dst-mars@example.org-1", "feeds-dst-mars@example.org-2",
                        "feeds-dst-mars@example.org-3", "feeds-dst-mars@example.org-deadline"]
    assert all("status: cancelled" in w.message for w in result.warnings if w.key == "uid")


def test_no_previous_output_no_warnings(tmp_path: Path) -> None:
    _, result = build_fixture(tmp_path)
    assert not [w for w in result.warnings if w.key in ("updated", "uid")]


def test_feed_over_one_megabyte_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "MAX_FEED_BYTES", 4000)
    _, result = build_fixture(tmp_path)
    big = [w for w in result.warnings if "1 MB" in w.message]
    assert any(w.path.endswith("output/kalender.ics") for w in big)
    assert not any(w.path.endswith(".json") for w in big)


def test_no_clock_dtstamp_without_dates(tmp_path: Path) -> None:
    output, _ = build_fixture(tmp_path, files=activity_file("odaterad", published=""))
    event = events_by_uid(read(output, "aktiviteter/odaterad/odaterad.ics"))["feeds-odaterad@example.org"]
    assert event["DTSTAMP"].dt == datetime(2000, 1, 1, tzinfo=UTC)
    assert "CREATED" not in event
    assert NOW.year == 2026


@pytest.mark.slow
def test_generated_site_feeds_all_parse() -> None:
    output = generated_site()
    files = ics_files(output)
    assert len(files) > 900
    uids: dict[str, str] = {}
    for file in files:
        data = file.read_bytes()
        check_calendar_file(data)
        for uid, event in events_by_uid(data).items():
            start = event["DTSTART"].to_ical().decode()
            assert uids.setdefault(uid, start) == start


@pytest.mark.slow
def test_sample_content_feeds_all_parse(tmp_path: Path) -> None:
    """The repository's own content/ (the sample site) gives valid calendars, RSS and JSON too."""
    import feedparser

    from kkssite.build import build
    from kkssite.config import BuildOptions

    content = Path(__file__).parent.parent / "content"
    result = build(BuildOptions(content=content, output=tmp_path / "output", now=NOW, cache=tmp_path / "cache"))
    assert result.activities > 10
    files = ics_files(tmp_path / "output")
    assert len(files) > result.activities
    for file in files:
        check_calendar_file(file.read_bytes())
    for rss in (tmp_path / "output").rglob("feed.xml"):
        assert feedparser.parse(rss.read_bytes()).bozo == 0, rss


def test_unchanged_activities_reuse_their_events_and_changes_invalidate(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """An activity's events are fragments in the build store: serialized once, reused while nothing they are made
    of changed (its file, its venue, its organisers, the settings)."""
    from kkssite.feeds import ical

    first, _ = build_fixture(tmp_path)
    before = {p.relative_to(first).as_posix(): p.read_bytes() for p in ics_files(first)}
    built: list[str] = []
    original = ical.session_events

    def counting(views, activity):  # type: ignore[no-untyped-def]
        key = views.fragments.key("events", activity)
        if key not in views.fragments.made:
            built.append(activity.slug)
        return original(views, activity)

    monkeypatch.setattr(ical, "session_events", counting)
    output, _ = build_fixture(tmp_path)
    assert built == []  # every event came from the store
    assert {p.relative_to(output).as_posix(): p.read_bytes() for p in ics_files(output)} == before
    venue = tmp_path / "content/venues/scenhuset.md"
    venue.write_text(venue.read_text(encoding="utf-8").replace("Storgatan 1", "Storgatan 2"), encoding="utf-8")
    output, _ = build_fixture(tmp_path)
    assert sorted(built) == ["installd", "vinter"]  # the activities at that venue, and only they
    event = events_by_uid(read(output, "kalender.ics"))["feeds-vinter@example.org"]
    assert str(event["LOCATION"]) == "Scenhuset, Storgatan 2, 211 00 Malmö"


def test_deadline_of_a_full_activity_says_so(tmp_path: Path) -> None:
    registration = "\n  kind: anmälan\n  url: https://example.org/a\n  deadline: 2027-01-20"
    output, _ = build_fixture(tmp_path, files=activity_file("full", status="full", registration=registration))
    event = events_by_uid(read(output, "aktiviteter/full/full-sista-dag.ics"))["feeds-full@example.org-deadline"]
    assert str(event["SUMMARY"]) == "FULLBOKAD: Sista anmälningsdag: Ny aktivitet"
    assert str(events_by_uid(read(output, "kalender.ics"))["feeds-full@example.org"]["STATUS"]) == "CONFIRMED"


def test_an_edit_build_takes_the_vtimezone_from_the_build_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The VTIMEZONE (75 ms to work out) is a fragment of the build store: the next build, in another process,
    with the same zone and years, makes its feeds again without working it out."""
    from support import FIXTURES
    from test_patch import edit, run, same_as_clean

    from kkssite.feeds import ical

    content, output, cache = tmp_path / "content", tmp_path / "output", tmp_path / ".cache"
    shutil.copytree(FIXTURES / "minimal", content)
    run(content, output, cache)
    before = (output / "kalender.ics").read_bytes()
    made = tmp_path / "made"  # one line per VTIMEZONE worked out, by this process or a worker forked from it
    real = ical.vtimezone

    def counting(*args: object) -> object:
        with made.open("a") as log:
            log.write(f"{args}\n")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(ical, "vtimezone", counting)
    ical._zone_bytes.cache_clear()  # (as in a new process)
    edit(content / "activities" / "ljusbord-for-turne.md", r"^title: (.*)$", r"title: \1 – fortsättning")
    assert run(content, output, cache).patched
    after = (output / "kalender.ics").read_bytes()
    assert not made.exists() and after != before and b"BEGIN:VTIMEZONE" in after
    ical._zone_bytes.cache_clear()
    same_as_clean(content, output, tmp_path)
    assert len(made.read_text().splitlines()) == 1  # (the clean build, without a store, works it out once)

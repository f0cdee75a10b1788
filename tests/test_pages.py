"""What a visitor finds first on each page type: the home page's profession picker and search, an activity's
key facts and its one main action, "Fler för …", one "Prenumerera" with choices, the subscribe page's one
pattern, /yrken/ in alphabetical order, /kalender/ on this month, paginated organisation and venue pages, and
the compact menu."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import NOW, activity
from test_public import Node, dom, words

from kkssite.build import build
from kkssite.config import BuildOptions
from kkssite.text import collation_key

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("pages")
    shutil.copytree(ROOT / "content", work / "content")
    build(BuildOptions(content=work / "content", output=work / "output", now=NOW, cache=None))
    return work / "output"


def main(output: Path, rel: str) -> Node:
    return dom(output / rel).all("main")[0]


# --- home ----------------------------------------------------------------------------------------------------


def test_home_opens_on_a_profession_picker_and_search(sample: Path) -> None:
    page = dom(sample / "index.html")
    body = page.all("main")[0]
    [h1] = body.all("h1")
    assert words(h1.text) == "Kompetensutveckling för scenkonst, musik, film och tv i Skåne och Blekinge"
    brand = page.all("header")[0].css("brand")[0]
    assert words(brand.text) == "KulturKraft Syd" and "tagline" not in str(page.all("header")[0].classes)
    headings = [words(h.text) for h in body.all("h2")]
    assert headings[0] == "Hitta aktiviteter för ditt yrke" and headings[1] == "Kommande aktiviteter"
    picker, search = body.all("form")[:2]
    select = picker.all("select")[0]
    assert select.attrs["name"] == "yrke" and picker.attrs["action"] == "aktiviteter/"
    groups = {g.attrs["label"]: g.all("option") for g in select.all("optgroup")}
    assert list(groups) == ["Konstnärliga yrken", "Tekniska yrken", "Administrativa yrken"]
    names = [words(o.text) for o in groups["Tekniska yrken"]]
    assert names == sorted(names, key=lambda n: collation_key(n, "sv")) and "Ljustekniker" in names
    light = next(o for o in groups["Tekniska yrken"] if words(o.text) == "Ljustekniker")
    assert (light.attrs["value"], light.attrs["data-url"]) == ("ljustekniker", "yrken/ljustekniker/")
    assert search.attrs["role"] == "search" and search.all("input")[0].attrs["name"] == "q"
    assert [label.attrs["for"] for label in body.all("label")][:2] == ["finder-yrke", "finder-q"]


def test_header_has_a_menu_that_works_without_javascript(sample: Path) -> None:
    header = dom(sample / "aktiviteter/index.html").all("header")[0]
    link = header.css("menu-link")[0]
    button = header.css("menu-button")[0]
    nav = header.all("nav")[0]
    assert link.attrs["href"] == "#meny" and nav.attrs["id"] == "meny"  # the menu opens as the link's target
    assert "hidden" in button.attrs and button.attrs["aria-expanded"] == "false" and button.attrs["aria-controls"] == "meny"
    current = [a for a in nav.all("a") if a.attrs.get("aria-current") == "page"]
    assert [words(a.text) for a in current] == ["Aktiviteter"]


# --- an activity ---------------------------------------------------------------------------------------------


def facts(page: Node) -> dict[str, str]:
    box = page.css("key-facts")[0]
    return {words(row.all("dt")[0].text): words(row.all("dd")[0].text) for row in box.css("summary-list")[0].all("div")}


def test_activity_page_starts_with_key_facts_and_the_main_action(sample: Path) -> None:
    rel = "aktiviteter/ljusdesign-for-scen-2027/index.html"
    page = main(sample, rel)
    found = facts(page)
    assert found["Tillfällen (3)"].startswith("tisdag 2 februari 2027, 09.00–16.00")
    assert found["Var"].startswith("Scenhuset Stumholmen, Stumholmen 4, 371 30 Karlskrona")
    assert found["Var"].endswith("Visa på karta (OpenStreetMap)")
    assert found["Pris"] == "1\u00a0800\u00a0kr" and found["Antal platser"] == "12"
    assert "Sista anmälningsdag: fredag 15 januari 2027" in found["Anmälan"]
    box = page.css("key-facts")[0]
    [action] = box.css("main-action")[0].all("a")
    assert words(action.text) == "Anmäl dig" and action.attrs["href"] == (
        "https://anmalan.kulturkraftsyd.se/ljusdesign-for-scen-2027")
    html = (sample / rel).read_text(encoding="utf-8")
    assert html.index('class="key-facts"') < html.index('id="om"')  # the facts before the description
    sticky = page.css("sticky-action")[0]
    assert [a.attrs["href"] for a in sticky.all("a")] == [action.attrs["href"]]
    people = [words(li.text) for li in page.css("people")[0].all("li")]
    assert people[0].startswith("Malin Ekdahl, LjusdesignerMalin Ekdahl är ljusdesigner")  # name, then about


def test_many_sessions_fold_after_the_third(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    sessions = "".join(f"\n  - {{start: 2027-03-0{d} 18:00, end: \"20:00\"}}" for d in range(1, 6))
    build_site(make_content(files=activity("fem", start="", end="", sessions=sessions,
                                           registration="\n  kind: ansökan\n  email: a@example.org")))
    page = main(tmp_path / "output", "aktiviteter/fem/index.html")
    box = page.css("key-facts")[0]
    shown = box.css("sessions")[0]
    assert len(shown.all("li")) == 3
    folded = box.all("details")[0]
    assert words(folded.all("summary")[0].text) == "2 tillfällen till" and len(folded.all("li")) == 2
    [action] = box.css("main-action")[0].all("a")  # no url: the action writes an e-mail
    assert words(action.text) == "Ansök" and action.attrs["href"] == "mailto:a@example.org?subject=Ny%20aktivitet"


def test_no_main_action_when_one_cannot_join(sample: Path, make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cancelled = main(sample, "aktiviteter/figurteater-for-vuxen-publik-2027/index.html")
    assert not cancelled.css("main-action") and not cancelled.css("sticky-action")
    assert words(cancelled.css("no-action")[0].text) == "Aktiviteten är inställd."
    assert "Anmälan" not in facts(cancelled)
    full = main(sample, "aktiviteter/fallskydd-och-arbete-pa-hojd-2027/index.html")
    assert words(full.css("no-action")[0].text) == "Aktiviteten är fullbokad." and not full.css("main-action")
    build_site(make_content(files=activity("stangd", registration="\n  kind: anmälan\n  url: https://example.com/a"
                                                                   "\n  deadline: 2026-11-20")))
    closed = main(tmp_path / "output", "aktiviteter/stangd/index.html")
    assert words(closed.css("no-action")[0].text) == "Anmälan har stängt." and not closed.css("main-action")


def test_more_for_the_activity_s_profession(sample: Path) -> None:
    page = main(sample, "aktiviteter/ljusdesign-for-scen-2027/index.html")
    section = page.css("more-like")[0]
    assert words(section.all("h2")[0].text) == "Fler för ljusdesigner"
    titles = [words(c.css("card-title")[0].text) for c in section.css("card")]
    assert 1 <= len(titles) <= 3 and "Ljusdesign för scen – LED, färg och programmering" not in titles
    assert titles[0] == "Videoprojektion på scen"  # those that name ljusdesigner come before those for everyone
    everyone = main(sample, "aktiviteter/natverksdag-blekinge-2027/index.html")
    assert words(everyone.css("more-like")[0].all("h2")[0].text) == "Fler kommande aktiviteter"


def test_one_subscribe_with_the_activity_s_professions_region_and_type(sample: Path) -> None:
    block = main(sample, "aktiviteter/ljusdesign-for-scen-2027/index.html").all(id="prenumerera")[0]
    radios = block.all("input", type="radio")
    assert [r.attrs["data-name"] for r in radios] == ["Ljusdesigner i Blekinge", "Ljustekniker i Blekinge",
                                                      "Blekinge", "Kurser"]
    assert "checked" in radios[0].attrs and "hidden" in block.css("feed-choices")[0].attrs  # subscribe.js shows them
    assert words(block.css("feed-chosen")[0].text) == "Kalendern Ljusdesigner i Blekinge:"
    webcal = block.css("subscribe-actions")[0].all("a")[0]
    assert webcal.attrs["href"] == radios[0].attrs["data-webcal"] == (
        "webcal://kulturkraftsyd.se/yrken/ljusdesigner/blekinge/kalender.ics")
    [every] = block.all("details")
    assert words(every.all("summary")[0].text) == "Alla kalendrar med den här aktiviteten (10)"
    assert len(every.all("li")) == 10


# --- lists and calendars ---------------------------------------------------------------------------------------


def test_professions_are_alphabetical_within_each_category(sample: Path) -> None:
    page = main(sample, "yrken/index.html")
    for group in page.css("terms"):
        names = [words(a.text) for a in group.all("a")]
        assert names == sorted(names, key=lambda n: collation_key(n, "sv")), names
    cities = [words(a.text) for a in main(sample, "orter/index.html").css("terms")[0].all("a")]
    assert cities.index("Ystad") < cities.index("Ängelholm")  # å, ä, ö after z
    art = [words(a.text) for a in main(sample, "konstformer/index.html").css("terms")[0].all("a")]
    assert art == ["Teater", "Dans", "Musik", "Film", "Tv", "Tvärkonstnärligt"]  # a chosen order stays


def test_calendar_opens_on_the_month_of_now(sample: Path) -> None:
    page = main(sample, "kalender/index.html")
    assert words(page.all("h2")[0].text) == "Den här månaden: november 2026"
    table = page.all("table")[0]
    assert words(table.all("caption")[0].text) == "November 2026"
    assert page.all(aria_current="date") and "2027" in words(page.all("h2")[1].text + page.all("h3")[0].text)


def test_subscribe_page_has_one_pattern_for_every_facet(sample: Path) -> None:
    page = main(sample, "prenumerera/index.html")
    sections = page.css("feed-section")
    assert [words(s.all("h2")[0].text) for s in sections] == [
        "Yrken", "Yrkeskategorier", "Konstformer", "Typer av aktiviteter", "Orter", "Regioner", "Undervisningsspråk"]
    for section in sections:
        assert words(section.css("muted")[0].text).split(" ", 2)[1] in ("kalender.", "kalendrar.")
        rows = section.css("feed-row")
        assert rows and all(r.tag == "details" and "open" not in r.attrs for r in rows)
        for row in rows:
            count = words(row.css("count")[0].text)
            assert count.endswith(("aktivitet i kalendern", "aktiviteter i kalendern")), count
    headings = {words(h.text) for h in page.all("h2")}  # no summary repeats a heading
    assert not [s for s in page.all("summary") if words(s.text) in headings]


def test_organisation_and_venue_pages_are_paginated(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    files: dict[str, str] = {}
    for n in range(1, 6):
        files.update(activity(f"plats-{n}", title=f"Kväll {n}", venue="scenhuset", organisers="[kulturkraft-syd]",
                              start=f"2027-0{n}-03 18:00", end='"20:00"'))
    build_site(make_content(files=files))
    out = tmp_path / "output"
    for folder, prefix in (("platser/scenhuset/", "Scenhuset"), ("organisationer/kulturkraft-syd/", "KulturKraft Syd")):
        first = dom(out / folder / "index.html")
        assert [a.attrs["href"] for a in first.all("a", rel="next")] == [f"../../{folder}sida/2/"]
        assert len(first.all("main")[0].css("card")) == 2  # per_page: 2 in the fixture
        second = dom(out / folder / "sida/2/index.html")
        assert words(second.all("title")[0].text).startswith(f"{prefix}") and "sida 2" in words(second.all("title")[0].text)
        assert second.all("main")[0].css("card")
        assert not second.all("main")[0].css("prose")  # the description only on the first page

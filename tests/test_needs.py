"""The life of a need: its keys (status with Swedish words, notes, who reported it, interest, regions), the checks
`kkssite check` makes (with --now), the need's page and its path, the needs listing with its filter, the needs'
feed and open data, and the "Önska en aktivitet" links that bring a term or a need into the wish form."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import feedparser
from support import NOW, activity
from test_public import dom, words

from kkssite.build import check
from kkssite.config import BuildOptions
from kkssite.errors import Problems
from kkssite.load import load
from kkssite.validate import validate

NEED = """---
title: Ljudteknik för digitala sändningar
reported_by: 14 frilansande ljudtekniker
reported: 2026-10-20
professions: [ljudtekniker]
art_forms: [teater, dans]
{status}
---
Allt fler föreställningar sänds digitalt.
"""


def typed(content: Path):  # type: ignore[no-untyped-def]
    problems = Problems()
    return validate(load(content, problems), problems), [str(p) for p in problems]


def checked(content: Path, now: datetime = NOW) -> list[str]:
    _catalog, problems = check(BuildOptions(content=content, now=now))
    return [str(p) for p in problems]


def test_need_keys_are_typed(make_content) -> None:  # type: ignore[no-untyped-def]
    catalog, problems = typed(make_content())
    assert problems == []
    needs = catalog.needs
    assert needs["producenter-som-mentorer"].status == "planned"  # written "planeras"
    assert needs["producenter-som-mentorer"].status_note.startswith("Vi söker mentorer")
    assert needs["producenter-som-mentorer"].interest == 8
    assert [r.slug for r in needs["producenter-som-mentorer"].regions] == ["skane"]
    answered = needs["ljus-i-blekinge"]
    assert [o.name for o in answered.reporters] == ["KulturKraft Syd"]
    assert answered.reported_by == ("Tekniker vid Blekinge teater",)
    assert [r.slug for r in answered.regions] == ["blekinge"]  # the region of its city
    closed = needs["dans-for-skolan"]
    assert closed.status == "closed" and [p.slug for p in closed.professions] == ["skadespelare", "dansare"]
    assert needs["ljud-digitalt"].reported_by == ("14 frilansande ljudtekniker",) and not needs["ljud-digitalt"].reporters


def test_status_words_and_mistakes(make_content) -> None:  # type: ignore[no-untyped-def]
    for written, status in (("inkommet", "open"), ("planeras", "planned"), ("besvarat", "answered"),
                            ("avslutat", "closed")):
        note = "\nstatus_note: Så blev det." if status == "closed" else ""
        catalog, _ = typed(make_content(files={"needs/ljud-digitalt.md": NEED.format(status=f"status: {written}{note}")}))
        assert catalog.needs["ljud-digitalt"].status == status, written
    _, problems = typed(make_content(files={"needs/ljud-digitalt.md": NEED.format(status="status: planerad\ninterest: 0")}))
    assert problems == [
        "content/needs/ljud-digitalt.md:8: interest: förväntade ett heltal från 1, fick 0"]
    _, problems = typed(make_content(files={"needs/ljud-digitalt.md": NEED.format(status="status: pausad")}))
    assert problems == ["content/needs/ljud-digitalt.md:7: status: förväntade ett av open, planned, answered, closed, "
                        "fick 'pausad'"]


def test_check_warns_about_answered_needs_without_activities_and_old_plans(make_content) -> None:  # type: ignore[no-untyped-def]
    content = make_content(files={
        "needs/ljud-digitalt.md": NEED.format(status="status: answered"),
        "needs/gammal-plan.md": NEED.format(status="status: planned").replace("2026-10-20", "2025-09-01")
                                     .replace("Ljudteknik", "Gammal plan för ljudteknik"),
    })
    warnings = checked(content)
    assert warnings == [
        "content/needs/gammal-plan.md:7: varning: status: behovet har planerats sedan det kom in 2025-09-01, för mer "
        "än ett år sedan; lägg till aktiviteten som svarar på det eller ändra statusen",
        "content/needs/ljud-digitalt.md:7: varning: status: behovet är markerat answered men ingen aktivitet anger "
        "det under needs",
    ]
    assert checked(content, NOW.replace(year=2026, month=8)) == warnings[1:]  # not yet a year on 2026-08-27


def test_check_warns_about_an_open_need_that_an_activity_answers(make_content) -> None:  # type: ignore[no-untyped-def]
    files = {"needs/ljud-digitalt.md": NEED.format(status="status: open"), **activity("svar", needs="[ljud-digitalt]")}
    assert checked(make_content(files=files)) == [
        "content/needs/ljud-digitalt.md:7: varning: status: svar svarar på behovet; ändra status till planned "
        "(planeras) eller answered (besvarat)"]


def path_steps(page: Path) -> list[tuple[str, str]]:
    """(label, state) of each step of a need's path; the state is the step's class: done, current or todo."""
    steps = dom(page).css("need-path")[0].all("li")
    return [(words(s.css("step-label")[0].all("strong")[0].text), s.attrs["class"].split("step-")[-1]) for s in steps]


def test_a_need_moves_open_planned_answered_by_editing_two_files(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = make_content(files={"needs/ljud-digitalt.md": NEED.format(status="status: open")})
    page = tmp_path / "output/behov/ljud-digitalt/index.html"
    listing = tmp_path / "output/behov/index.html"

    def group_of(slug: str) -> str:
        for section in dom(listing).all("section"):
            if any(a.attrs.get("href") == f"../behov/{slug}/" for a in section.all("a")):
                return section.attrs["aria-labelledby"]
        raise AssertionError(slug)

    build_site(content)
    assert path_steps(page) == [("Inkommet", "current"), ("Planeras", "todo"),
                                ("Aktiviteter som svarar på behovet", "todo"), ("Vad de ledde till", "todo")]
    assert [li.attrs.get("aria-current") for li in dom(page).css("need-path")[0].all("li")] == ["step", None, None,
                                                                                                   None]
    assert group_of("ljud-digitalt") == "behov-open"

    need = content / "needs/ljud-digitalt.md"  # 1: the need is being planned
    need.write_text(NEED.format(status="status: planned\nstatus_note: En kurs planeras till våren."), encoding="utf-8")
    build_site(content)
    assert path_steps(page)[:2] == [("Inkommet", "done"), ("Planeras", "current")]
    assert "En kurs planeras till våren." in words(dom(page).css("need-path")[0].text)
    assert group_of("ljud-digitalt") == "behov-planned"

    course = content / "activities/ljusbord-for-turne.md"  # 2: an activity answers it
    course.write_text(course.read_text(encoding="utf-8").replace("needs: [ljus-i-blekinge]",
                                                                 "needs: [ljus-i-blekinge, ljud-digitalt]"),
                      encoding="utf-8")
    need.write_text(NEED.format(status="status: answered"), encoding="utf-8")
    assert checked(content) == []
    build_site(content)
    assert path_steps(page) == [("Inkommet", "done"), ("Planeras", "done"),
                                ("Aktiviteter som svarar på behovet", "current"), ("Vad de ledde till", "todo")]
    answers = dom(page).all("section", aria_labelledby="aktiviteter")[0]
    assert [words(a.text) for a in answers.all("a")] == ["Ljusbord för turné"]
    assert "Den första aktiviteten publicerades 1 november 2026" in words(dom(page).css("need-path")[0].text)
    assert group_of("ljud-digitalt") == "behov-answered"


def test_a_need_shows_what_its_activities_led_to(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    build_site(make_content())
    page = tmp_path / "output/behov/dans-for-skolan/index.html"  # answered by a past activity, then closed
    assert path_steps(page) == [("Inkommet", "done"), ("Planeras", "done"), ("Aktiviteter som svarar på behovet", "done"),
                                ("Vad de ledde till", "done"), ("Avslutat", "done")]
    text = words(dom(page).css("need-path")[0].text)
    assert "40 deltagare" in text and "12 organisationer deltog" in text and "2 material att ladda ned" in text
    assert "Behovet togs över av regionens skolprojekt." in text
    results = dom(page).all("section", aria_labelledby="resultat")[0]
    assert words(results.all("h3")[0].text) == "Årsmöte och seminarium"
    assert "Nio av tio deltagare ville komma tillbaka nästa år." in words(results.text)
    assert [a.attrs["href"] for a in results.css("materials")[0].all("a")] == [
        "../../materials/arsmote-2012.pdf", "https://example.org/inspelning"]


def test_needs_listing_by_status_with_the_shared_filter(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    build_site(make_content())
    page = dom(tmp_path / "output/behov/index.html")
    sections = [s for s in page.all("section") if s.attrs.get("aria-labelledby", "").startswith("behov-")]
    assert [words(s.all("h2")[0].text) for s in sections] == [
        "Inkomna behov 1", "Behov som planeras 1", "Besvarade behov 1", "Avslutade behov 1"]
    card = sections[1].css("card")[0]
    assert [words(b.text) for b in card.css("badge")] == ["Planeras"]
    assert words(card.css("card-when")[0].text) == "Inkom 15 september 2026"
    assert words(card.css("card-meta")[0].text) == "8 har efterfrågat det Skåne"
    form = page.all("form", id="filter")[0]
    assert form.attrs["data-index"] == "../behov/index.json" and "hidden" in form.attrs
    assert {words(label.text) for label in form.all("label")} == {"Yrke", "Konstform", "Ort", "Status", "Sök i text"}
    assert all(form.all(id=label.attrs["for"]) for label in form.all("label"))
    assert not form.all(id="filter-tid") and not page.all(id="filter-subscribe")
    assert {o.attrs["value"] for o in form.all("select", name="status")[0].all("option")} == {
        "", "status:inkommet", "status:planeras", "status:besvarat", "status:avslutat"}
    assert page.all("template", id="filter-card") and words(page.all(id="filter-status")[0].text) == "4 behov"
    index = json.loads((tmp_path / "output/behov/index.json").read_text(encoding="utf-8"))
    items = {i["u"]: i for i in index["items"]}
    mentors = items["behov/producenter-som-mentorer/"]
    assert mentors["f"]["yrke"] == ["producent"] and mentors["f"]["region"] == ["skane"]
    assert mentors["f"]["status"] == ["planeras"] and mentors["f"]["konstform"] == "*"
    assert mentors["b"] == [["need-planned", "Planeras"]] and mentors["ty"] == "8 har efterfrågat det"
    assert items["behov/ljus-i-blekinge/"]["f"]["ort"] == ["karlskrona"]
    # the script draws these from the static cards' keys; their values are the cards' texts
    assert {"u", "t", "d", "w", "au", "f", "m", "s", "b"} <= set(mentors) and index["periods"] == []


def test_needs_feed_and_open_data(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    build_site(make_content())
    feed = feedparser.parse((tmp_path / "output/behov/feed.xml").read_bytes())
    assert feed.bozo == 0
    assert feed.feed.title == "Testkalendern – Behov"
    assert [e.title for e in feed.entries] == ["Ljudteknik för digitala sändningar", "Mentorer för nya producenter"]
    assert feed.entries[0].link == "https://example.org/kalender/behov/ljud-digitalt/"
    assert "Inkommet" in feed.entries[0].summary and "Ljudtekniker" in feed.entries[0].summary
    data = json.loads((tmp_path / "output/behov/behov.json").read_text(encoding="utf-8"))
    assert data["version"] == 1 and data["count"] == 4 == len(data["needs"])
    assert data["wish_url"] == "https://example.org/kalender/onska/"
    answered = next(n for n in data["needs"] if n["slug"] == "ljus-i-blekinge")
    assert answered["status"] == "answered" and answered["status_label"] == "Besvarat"
    assert answered["reported_by"] == {"organisations": [{"slug": "kulturkraft-syd", "name": "KulturKraft Syd",
                                                          "url": "https://example.org/kalender/organisationer/kulturkraft-syd/"}],
                                       "text": ["Tekniker vid Blekinge teater"]}
    assert answered["interest"] == 6 and [c["slug"] for c in answered["cities"]] == ["karlskrona"]
    assert [a["slug"] for a in answered["activities"]] == ["ljusbord-for-turne"]
    assert answered["first_activity"] == "2027-03-23"
    closed = next(n for n in data["needs"] if n["slug"] == "dans-for-skolan")
    assert closed["participants"] == 40 and closed["activities"][0]["past"] is True


def test_wish_links_carry_the_term_or_the_need(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    build_site(make_content())
    out = tmp_path / "output"

    def wish(page: str) -> dict[str, list[str]]:
        links = [a.attrs["href"] for a in dom(out / page).all("a") if words(a.text) == "Önska en aktivitet"
                 and "footer" not in {n.tag for n in _ancestors(a)}]
        assert len(links) == 1, (page, links)
        parts = urlsplit(links[0])
        assert parts.path.endswith("onska/"), links[0]
        assert (out / page).parent.joinpath(parts.path, "index.html").resolve().is_file()
        return parse_qs(parts.query)

    assert wish("yrken/ljustekniker/index.html") == {"yrke": ["ljustekniker"]}
    assert wish("konstformer/dans/index.html") == {"konstform": ["dans"]}
    assert wish("regioner/blekinge/index.html") == {"region": ["blekinge"]}
    assert wish("yrkeskategorier/teknisk/index.html") == {"yrkeskategori": ["teknisk"]}
    assert wish("behov/producenter-som-mentorer/index.html") == {
        "behov": ["producenter-som-mentorer"], "rubrik": ["Mentorer för nya producenter"], "yrke": ["producent"],
        "region": ["skane"]}
    assert wish("behov/index.html") == {}
    footer = dom(out / "index.html").all("footer")[-1]
    assert {words(a.text) for a in footer.all("a")} >= {"Önska en aktivitet", "Statistik"}


def _ancestors(node):  # type: ignore[no-untyped-def]
    while node.parent is not None:
        node = node.parent
        yield node


def test_the_wish_form_composes_an_email_without_an_inbox(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    build_site(make_content())
    page = dom(tmp_path / "output/onska/index.html")
    form = page.all("form", id="onska")[0]
    assert "hidden" in form.attrs and "action" not in form.attrs and form.attrs["data-mailto"] == "info@example.org"
    fallback = page.all(id="onska-reserv")[0]
    assert [a.attrs["href"] for a in fallback.all("a")] == ["mailto:info@example.org?subject=%C3%96nskem%C3%A5l%20om%20en%20aktivitet"]
    assert page.all("section", id="onska-klart") and page.all("textarea", id="onska-meddelande")
    # every control has a label; the groups are fieldsets with legends; hints are tied to their fields
    controls = [n for n in form.all() if n.tag in ("input", "select", "textarea") and n.attrs.get("type") != "hidden"]
    labelled = {label.attrs["for"] for label in form.all("label")}
    assert controls and all(c.attrs["id"] in labelled for c in controls)
    assert all(f.all("legend") for f in form.all("fieldset"))
    for control in controls:
        for ref in (control.attrs.get("aria-describedby") or "").split():
            assert page.all(id=ref), (control.attrs["id"], ref)
    names = {c.attrs["name"] for c in form.all() if c.attrs.get("name")}
    assert names == {"title", "description", "professions", "art_forms", "where", "online", "format", "level",
                     "times", "scope", "language", "sender", "interest", "name", "organisation", "email", "consent",
                     "same_as", "front_matter"}
    assert "required" in page.all("input", name="title")[0].attrs
    assert page.all("input", name="email")[0].attrs["type"] == "email"
    professions = {i.attrs["value"] for i in form.all("input", name="professions")}
    assert {"ljustekniker", "teknisk", "producent"} <= professions
    assert {o.attrs["value"] for o in form.all("select", name="where")[0].all("option")} == {
        "", "region:skane", "ort:malmo", "region:blekinge", "ort:karlskrona"}
    params = json.loads(form.attrs["data-params"])
    assert params["fields"]["yrke"] == "professions" and params["fields"]["behov"] == "same_as"
    assert params["where"] == {"region": "regions", "ort": "cities"}
    texts = json.loads(form.attrs["data-texts"])
    assert texts["title_missing"] == "Skriv vad du vill lära dig."
    assert re.search(r"\bwish\.[0-9a-f]{10}\.js\b", " ".join(s.attrs.get("src", "") for s in page.all("script")))


def test_with_an_inbox_the_form_posts_without_javascript(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    site = content / "site.yml"
    site.write_text(site.read_text(encoding="utf-8") + "needs_inbox:\n  action: https://forms.example.org/kks\n",
                    encoding="utf-8")
    build_site(content)
    page = dom(tmp_path / "output/onska/index.html")
    form = page.all("form", id="onska")[0]
    assert form.attrs["method"] == "post" and form.attrs["action"] == "https://forms.example.org/kks"
    assert "hidden" not in form.attrs and not page.all(id="onska-reserv") and not page.all(id="onska-klart")
    assert words(form.all("button", type="submit")[0].text) == "Skicka önskemålet"
    site.write_text(site.read_text(encoding="utf-8").replace("https://forms.example.org/kks", "forms.example.org"),
                    encoding="utf-8")
    assert checked(content) == ["content/site.yml:11: needs_inbox.action: förväntade en webbadress som börjar med "
                                "https://, fick 'forms.example.org'"]

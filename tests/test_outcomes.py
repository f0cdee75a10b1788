"""After the activity: `outcome` (participants, per profession category, organisations, evaluation) and
`materials` (links, and files under content/materials/ published with the site, with their size), typed and
checked, shown on the archived activity's page and card and in /aktiviteter.json."""

from __future__ import annotations

import json
import os
from pathlib import Path

from support import activity
from test_public import dom, words

from kkssite.errors import Problems
from kkssite.load import load
from kkssite.validate import validate

PDF = (Path(__file__).parent / "fixtures/minimal/materials/arsmote-2012.pdf").read_bytes()


def typed(content: Path):  # type: ignore[no-untyped-def]
    problems = Problems()
    return validate(load(content, problems), problems), [str(p) for p in problems]


def test_outcome_and_materials_are_typed(make_content) -> None:  # type: ignore[no-untyped-def]
    catalog, problems = typed(make_content())
    assert problems == []
    meeting = next(a for a in catalog.activities if a.slug == "arsmote-2012")
    outcome = meeting.outcome
    assert outcome.participants == 40 and outcome.organisations == 12
    assert [(t.slug, n) for t, n in outcome.by_category] == [("konstnarlig", 22), ("teknisk", 9)]
    assert outcome.evaluation == "Nio av tio deltagare ville komma tillbaka nästa år."
    slides, recording = meeting.materials
    assert (slides.title, slides.file, slides.url, slides.size) == ("Bilder från seminariet", "materials/arsmote-2012.pdf",
                                                                    None, len(PDF))
    assert (recording.file, recording.url, recording.size) == (None, "https://example.org/inspelning", None)
    assert "materials/arsmote-2012.pdf" in catalog.assets


def test_participants_default_to_the_sum_of_the_categories_and_may_not_exceed_it(make_content) -> None:  # type: ignore[no-untyped-def]
    files = activity("efter", start="2012-05-10 10:00", outcome="\n  participants_by_category: {teknisk: 7, administrativ: 2}")
    catalog, problems = typed(make_content(files=files))
    assert problems == [] and next(a for a in catalog.activities if a.slug == "efter").outcome.participants == 9
    files = activity("efter", start="2012-05-10 10:00",
                     outcome="\n  participants: 5\n  participants_by_category:\n    teknisk: 7\n    administrativ: 2")
    _, problems = typed(make_content(files=files))
    assert problems == ["content/activities/efter.md:13: outcome.participants_by_category: deltagarna per kategori blir "
                        "tillsammans 9, fler än participants (5)"]


def test_materials_need_one_existing_file_or_a_url(make_content) -> None:  # type: ignore[no-untyped-def]
    files = activity("efter", start="2012-05-10 10:00", materials=(
        "\n  - {title: Båda, url: 'https://example.org/a', file: materials/arsmote-2012.pdf}"
        "\n  - {title: Stavfel, file: materials/arsmote-2021.pdf}"
        "\n  - {title: Utanför, file: activities/arsmote-2012.md}"
        "\n  - {title: Med prefix, file: content/materials/arsmote-2012.pdf}"))
    _catalog, problems = typed(make_content(files=files))
    assert problems == [
        "content/activities/efter.md:12: materials[1]: ange antingen url (en länk) eller file (en fil under content/), "
        "ett av dem",
        "content/activities/efter.md:13: materials[2].file: filen 'materials/arsmote-2021.pdf' finns inte; lägg den i "
        "content/materials/ och skriv sökvägen som materials/namn.pdf – menade du \"materials/arsmote-2012.pdf\"?",
        "content/activities/efter.md:14: materials[3].file: filen 'activities/arsmote-2012.md' finns inte; lägg den i "
        "content/materials/ och skriv sökvägen som materials/namn.pdf – menade du \"materials/arsmote-2012.pdf\"?",
    ]


def test_the_archived_page_shows_after_the_activity(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    build_site(make_content())
    out = tmp_path / "output"
    page = dom(out / "aktiviteter/arsmote-2012/index.html")
    [after] = page.all("section", aria_labelledby="efter")
    assert words(after.all("h2")[0].text) == "Efter aktiviteten"
    facts = dict(zip((words(d.text) for d in after.all("dt")), (words(d.text) for d in after.all("dd")), strict=True))
    assert facts == {"Deltagare": "40", "Deltagare per yrkeskategori": "Konstnärliga yrken: 22, Tekniska yrken: 9",
                     "Deltagande organisationer": "12"}
    assert "Nio av tio deltagare ville komma tillbaka nästa år." in words(after.text)
    links = [(words(a.text), a.attrs["href"]) for a in after.css("materials")[0].all("a")]
    assert links == [("Bilder från seminariet", "../../materials/arsmote-2012.pdf"),
                     ("Inspelning av seminariet", "https://example.org/inspelning")]
    assert f"(PDF, {len(PDF)} B)" in words(after.text)
    assert (out / "materials/arsmote-2012.pdf").read_bytes() == PDF  # published as it is
    card = next(c for c in dom(out / "arkiv/2012/index.html").css("card")
                if "Årsmöte" in words(c.css("card-title")[0].text))
    assert words(card.css("card-after")[0].text) == "40 deltagare · 2 material"
    summary = dom(out / "arkiv/2012/index.html").css("summary")[0]
    assert words(summary.text) == "2012: 40 deltagare i den 1 aktivitet som har registrerat sina deltagare"
    assert summary.all("a")[0].attrs["href"] == "../../statistik/"
    upcoming = dom(out / "aktiviteter/ljusbord-for-turne/index.html")
    assert not upcoming.all("section", aria_labelledby="efter") and not upcoming.css("card-after")
    record = next(a for a in json.loads((out / "aktiviteter.json").read_text(encoding="utf-8"))["activities"]
                  if a["slug"] == "arsmote-2012")
    assert record["outcome"] == {"participants": 40, "participants_by_category": {"konstnarlig": 22, "teknisk": 9},
                                 "organisations": 12, "evaluation": "Nio av tio deltagare ville komma tillbaka nästa år."}
    assert record["materials"] == [
        {"title": "Bilder från seminariet", "url": "https://example.org/kalender/materials/arsmote-2012.pdf",
         "size": len(PDF)},
        {"title": "Inspelning av seminariet", "url": "https://example.org/inspelning", "size": None}]


def test_a_changed_material_file_updates_its_size_in_an_incremental_build(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    build_site(content)
    material = content / "materials/arsmote-2012.pdf"
    material.write_bytes(PDF + b"%" * 2000)
    stamp = material.stat().st_mtime_ns + 10_000_000_000
    os.utime(material, ns=(stamp, stamp))
    build_site(content)
    out = tmp_path / "output"
    assert "(PDF, 2,1 kB)" in words(dom(out / "aktiviteter/arsmote-2012/index.html").text)
    assert (out / "materials/arsmote-2012.pdf").stat().st_size == len(PDF) + 2000
    record = next(a for a in json.loads((out / "aktiviteter.json").read_text(encoding="utf-8"))["activities"]
                  if a["slug"] == "arsmote-2012")
    assert record["materials"][0]["size"] == len(PDF) + 2000


def test_an_outcome_before_the_activity_is_a_warning(make_content, build_site) -> None:  # type: ignore[no-untyped-def]
    result = build_site(make_content(files=activity("snart", outcome="\n  participants: 3")))
    assert [str(p) for p in result.warnings] == [
        "content/activities/snart.md:11: varning: outcome: aktiviteten har inte ägt rum än; resultatet visas först "
        "när den är över"]

"""The art forms' colours and emblems are data (vocabularies.yml: `colour`, `colour_dark`, `emblem`): validated
against the theme's page colours, shipped to every page as a CSS rule per art form and an SVG sprite, and worn by
cards, activity pages, art form pages and the home page's tiles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import NOW
from test_public import dom, words

from kkssite.build import build
from kkssite.colours import DARK_BACKGROUNDS, LIGHT_BACKGROUNDS, MINIMUM, contrast, weakest
from kkssite.config import BuildOptions
from kkssite.emblems import DEFAULT, EMBLEMS
from kkssite.errors import Problems
from kkssite.load import load
from kkssite.validate import validate

ROOT = Path(__file__).resolve().parent.parent
MINIMAL_ARTS = """art_forms:
  - {slug: teater, name: Teater}
  - {slug: dans, name: Dans}
  - {slug: musik, name: Musik}
"""


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    work = tmp_path_factory.mktemp("identity")
    shutil.copytree(ROOT / "content", work / "content")
    build(BuildOptions(content=work / "content", output=work / "output", now=NOW, cache=None))
    return work / "output"


def vocabulary_with(content: Path, art_forms: str) -> None:
    file = content / "vocabularies.yml"
    file.write_text(file.read_text(encoding="utf-8").replace(MINIMAL_ARTS, art_forms), encoding="utf-8")


def problems_of(content: Path) -> list[str]:
    problems = Problems()
    validate(load(content, problems), problems)
    return [str(p) for p in problems]


def test_the_theme_backgrounds_are_those_the_colours_are_checked_against() -> None:
    css = (ROOT / "theme/static/style.css").read_text(encoding="utf-8")
    light, dark = (dict(re.findall(r"--([\w-]+):\s*(#[0-9a-f]{6})\b", block))
                   for block in re.findall(r":root\s*{([^}]*)}", css))
    assert (light["bg"], light["card"]) == LIGHT_BACKGROUNDS
    assert (dark["bg"], dark["card"]) == DARK_BACKGROUNDS


def test_sample_art_forms_have_readable_colours_and_an_emblem_each() -> None:
    problems = Problems()
    catalog = validate(load(ROOT / "content", problems), problems)
    assert catalog is not None and not problems.errors
    terms = list(catalog.vocabularies.art_forms.values())
    assert all(t.colour and t.colour_dark and t.emblem for t in terms)
    assert len({t.emblem for t in terms}) == len(terms)  # each its own
    for t in terms:
        assert weakest(t.colour or "", LIGHT_BACKGROUNDS) >= 7 and weakest(t.colour_dark or "", DARK_BACKGROUNDS) >= 7
        assert contrast(t.colour or "", "#ffffff") >= MINIMUM  # as the background of white text


def test_weak_or_half_colours_and_unknown_emblems_are_errors(make_content) -> None:  # type: ignore[no-untyped-def]
    content = make_content()
    vocabulary_with(content, """art_forms:
  - {slug: teater, name: Teater, colour: "#f3a0ad", colour_dark: "#9b1c31"}
  - {slug: dans, name: Dans, colour: "#6a2c91"}
  - {slug: musik, name: Musik, colour: rod, emblem: nott}
""")
    found = problems_of(content)
    lines = (content / "vocabularies.yml").read_text(encoding="utf-8").splitlines()
    line = {slug: next(i for i, text in enumerate(lines, 1) if f"slug: {slug}," in text) for slug in ("teater", "dans", "musik")}
    path = "content/vocabularies.yml"
    assert f"{path}:{line['teater']}: art_forms[1].colour: #f3a0ad är för svag mot den ljusa sidan (1,9:1, minst 4,5:1 " \
           "behövs); välj en mörkare färg" in found
    assert f"{path}:{line['teater']}: art_forms[1].colour_dark: #9b1c31 är för svag mot den mörka sidan (2:1, minst " \
           "4,5:1 behövs); välj en ljusare färg" in found
    assert f"{path}:{line['dans']}: art_forms[2].colour_dark: saknas; colour och colour_dark hör ihop (en för ljust och " \
           "en för mörkt läge)" in found
    assert any(p.startswith(f"{path}:{line['musik']}: art_forms[3].colour: förväntade en färg skriven som #") for p in found)
    assert any(p.startswith(f"{path}:{line['musik']}: art_forms[3].emblem: ") and 'menade du "not"?' in p for p in found)


def test_art_forms_without_colours_take_the_accent_and_the_default_emblem(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    build_site(make_content())
    home = (tmp_path / "output/index.html").read_text(encoding="utf-8")
    assert "--af-l" not in home  # no colours in the fixture: .af falls back to the site's accent
    sprite = home.split('<svg class="sprite"', 1)[1].split("</svg>\n", 1)[0]
    assert re.findall(r'<symbol id="([^"]+)"', sprite) == ["em-teater", "em-dans", "em-musik", "em-alla"]
    assert sprite.count(EMBLEMS[DEFAULT]) == 4


def test_pages_wear_the_art_forms_marks(sample: Path) -> None:
    home = (sample / "index.html").read_text(encoding="utf-8")
    style = home.split("<style>", 1)[1].split("</style>", 1)[0]
    assert ".af-teater{--af-l:#9b1c31;--af-d:#f3a0ad}" in style and style.count(".af-") == 6
    sprite = home.split('<svg class="sprite"', 1)[1].split("</svg>\n", 1)[0]
    assert f'<symbol id="em-teater" viewBox="0 0 24 24">{EMBLEMS["mask"]}</symbol>' in sprite
    assert f'<symbol id="em-alla" viewBox="0 0 24 24">{EMBLEMS[DEFAULT]}</symbol>' in sprite
    tiles = dom(sample / "index.html").css("art-tiles")[0].all("li")
    assert [words(t.css("tile-name")[0].text) for t in tiles] == ["Teater", "Dans", "Musik", "Film", "Tv",
                                                                  "Tvärkonstnärligt"]
    assert {"af", "af-teater"} <= tiles[0].classes and tiles[0].all("use")[0].attrs["href"] == "#em-teater"
    assert words(tiles[0].css("tile-count")[0].text).endswith("kommande")
    page = dom(sample / "konstformer/dans/index.html")
    head = page.css("term-head")[0]
    assert {"af", "af-dans"} <= head.classes and words(head.all("h1")[0].text) == "Dans"
    assert not dom(sample / "yrken/ljustekniker/index.html").css("term-head")  # professions have no mark
    activity = dom(sample / "aktiviteter/ljusdesign-for-scen-2027/index.html").all("article")[0]
    assert {"activity", "af-teater"} <= activity.classes
    for svg in dom(sample / "index.html").all("svg"):
        assert svg.attrs.get("aria-hidden") == "true", svg.attrs  # decoration: the art form's name is in text

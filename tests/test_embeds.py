"""The embeds for partner sites: every selection's kommande.json, the web component's script and its
configuration, the frame page, the builder page /badda-in/ and the host headers (CORS).

The browser side (a partner page on another origin, both snippets, keyboard, axe) is tests/browser/test_browser_embed.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from support import activity
from test_public import dom, words

from kkssite.embeds import MAX_COUNT

BASE = "https://example.org/kalender/"
EXTRA = {
    **activity("dansarkurs", title="Kurs för dansare", professions="[dansare]", city="karlskrona",
               start="2027-02-03 09:00"),
    **activity("ljus-i-malmo", title="Ljus i Malmö", city="malmo", start="2027-02-10 09:00"),
    **activity("gammal", title="Förra årets kurs", start="2025-02-03 09:00"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from feedgen_util import build_fixture

    folder = tmp_path_factory.mktemp("embeds")
    output, _ = build_fixture(folder, "minimal", EXTRA)
    return output


def read_json(output: Path, rel: str) -> dict:
    return json.loads((output / rel).read_text(encoding="utf-8"))


def titles(data: dict) -> list[str]:
    return [item["t"] for item in data["items"]]


def script_config(output: Path) -> dict:
    script = (output / "badda-in.js").read_text(encoding="utf-8")
    found = re.search(r"\}\)\((\{.*\})\);\s*$", script, re.DOTALL)
    assert found, "badda-in.js does not end with its configuration"
    return json.loads(found.group(1))


def test_every_selection_has_its_upcoming_json(site: Path) -> None:
    everything = read_json(site, "kommande.json")
    assert everything["v"] == 1 and everything["page"] == "aktiviteter/"
    assert titles(everything) == ["Dans och ljud", "Kurs för dansare", "Ljus i Malmö", "Ljusbord för turné"]
    assert "Förra årets kurs" not in titles(everything)  # upcoming only
    assert titles(read_json(site, "yrken/dansare/kommande.json")) == ["Dans och ljud", "Kurs för dansare"]
    assert read_json(site, "yrken/dansare/kommande.json")["page"] == "yrken/dansare/"
    assert titles(read_json(site, "yrken/ljustekniker/blekinge/kommande.json")) == ["Ljusbord för turné"]
    assert titles(read_json(site, "yrken/ljustekniker/skane/kommande.json")) == ["Ljus i Malmö"]
    assert titles(read_json(site, "regioner/blekinge/kommande.json")) == ["Kurs för dansare", "Ljusbord för turné"]
    for folder in ("yrkeskategorier/teknisk", "konstformer/dans", "typer/kurs", "orter/malmo", "sprak/sv"):
        assert (site / folder / "kommande.json").is_file(), folder


def test_items_carry_the_card_texts_facets_and_status(site: Path) -> None:
    listing = read_json(site, "aktiviteter/index.json")
    index = {listing["p"] + item["u"]: item for item in listing["items"]}  # the index names its folder once
    for item in read_json(site, "kommande.json")["items"]:
        shown = index[item["u"]]
        same = {k: v for k, v in shown.items() if k not in ("s", "m", "u", "f")}
        assert {k: v for k, v in item.items() if k not in ("u", "f")} == same  # the same card
        # the index leaves out the grouping facets (filter.js fits a region by its cities); the embeds match them
        assert shown["f"].items() <= item["f"].items()
    cancelled = next(i for i in read_json(site, "yrken/dansare/kommande.json")["items"] if i["t"] == "Dans och ljud")
    assert cancelled["b"] == [["cancelled", "Inställd"]]
    assert cancelled["f"]["yrke"] == ["skadespelare", "dansare"] and cancelled["f"]["typ"] == ["workshop"]
    course = next(i for i in read_json(site, "kommande.json")["items"] if i["t"] == "Kurs för dansare")
    assert course["w"] == "onsdag 3 februari 2027, 09.00–16.00" and course["pl"] == "Karlskrona"
    assert course["f"]["region"] == ["blekinge"] and course["u"] == "aktiviteter/dansarkurs/"


def test_the_script_knows_the_swedish_words_and_every_file(site: Path) -> None:
    config = script_config(site)
    assert config["element"] == "kks-aktiviteter" and config["self"] == "badda-in.js"
    assert config["frame"] == "badda-in/ram/" and config["site"] == "kommande.json"
    assert (config["count"], config["layout"], config["layouts"]) == ("antal", "visning", ["lista", "kort"])
    assert config["online"] == ["digitalt", "ja"] and config["max"] == MAX_COUNT
    params = [t["p"] for t in config["terms"]]
    assert params[:2] == ["yrke", "ort"]  # the narrow facets first: the smallest file
    assert set(params) == {"yrke", "yrkeskategori", "konstform", "typ", "ort", "region", "sprak"}
    vocabularies = {"yrke": ["dansare", "ljustekniker"], "yrkeskategori": ["teknisk"], "konstform": ["teater"],
                    "typ": ["kurs"], "ort": ["malmo"], "region": ["skane"], "sprak": ["sv"]}
    for term in config["terms"]:
        for slug in vocabularies[term["p"]]:
            assert (site / term["file"].replace("{term}", slug)).is_file(), term
        if "crossed" in term:
            assert term["cross"] == "region"
            assert (site / term["crossed"].replace("{term}", "dansare").replace("{cross}", "blekinge")).is_file()
    assert config["texts"]["all"] == "Se alla {n} aktiviteter hos Testkalendern"
    assert config["texts"]["none"] == "Inga kommande aktiviteter just nu."
    script = (site / "badda-in.js").read_text(encoding="utf-8")
    assert script.isascii(), "the script must read right on a page in any encoding"
    assert 'credentials: "omit"' in script and "localStorage" not in script and "document.cookie" not in script
    assert "attachShadow" in script and "event.origin !== origin" in script


def test_the_frame_page_is_compact_and_not_indexed(site: Path) -> None:
    page = dom(site / "badda-in/ram/index.html")
    html = page.all("html")[0]
    assert "data-kks-frame" in html.attrs and html.attrs["lang"] == "sv"
    assert page.all("meta", name="robots")[0].attrs["content"] == "noindex"
    assert not page.all("header") and not page.all("nav")
    [element] = page.all("kks-aktiviteter")
    fallback = element.all("a")[0]
    assert fallback.attrs["href"] == "../../aktiviteter/" and fallback.attrs["target"] == "_top"
    assert page.all("script")[0].attrs["src"] == "../../badda-in.js"
    assert "badda-in/ram/" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_the_builder_page_offers_both_snippets_and_documents_every_attribute(site: Path) -> None:
    page = dom(site / "badda-in/index.html")
    form = page.all("form", id="embed-builder")[0]
    assert "hidden" in form.attrs  # shown by builder.js; the snippets and the table work without it
    assert {s.attrs["name"] for s in form.all("select")} == {"yrke", "konstform", "typ", "ort", "sprak"}
    assert form.all("input", type="number")[0].attrs["max"] == str(MAX_COUNT)
    component = words(page.all("code", id="snippet-component")[0].text)
    assert component == (f'<kks-aktiviteter antal="5"> <a href="{BASE}aktiviteter/">Kommande aktiviteter hos '
                         f'Testkalendern</a> </kks-aktiviteter> <script src="{BASE}badda-in.js" defer></script>')
    frame = words(page.all("code", id="snippet-frame")[0].text)
    assert frame.startswith(f'<iframe src="{BASE}badda-in/ram/?antal=5" title="Kommande aktiviteter hos ')
    assert frame.endswith(f'<script src="{BASE}badda-in.js" defer></script>')
    documented = [words(row.all("th")[0].text) for row in page.all("table")[0].all("tbody")[0].all("tr")]
    assert documented == ["yrke", "yrkeskategori", "konstform", "typ", "ort", "region", "sprak", "digitalt",
                          "antal", "visning"]
    preview = page.all("kks-aktiviteter", id="embed-preview")[0]
    assert preview.attrs["antal"] == "5"
    scripts = [s.attrs.get("src", "") for s in page.all("script")]
    assert "../badda-in.js" in scripts and any(re.search(r"static/builder\.[0-9a-f]{10}\.js$", s) for s in scripts)
    footer = page.all("footer")[-1]
    assert any(a.attrs["href"] == "../badda-in/" for a in footer.all("a"))  # every page's footer links here


def test_hosts_serve_the_json_to_any_origin(site: Path) -> None:
    headers = (site / "_headers").read_text(encoding="utf-8")
    block = headers.split("/kalender/*kommande.json\n", 1)[1].split("\n\n", 1)[0]
    assert "Content-Type: application/json; charset=utf-8" in block and "Access-Control-Allow-Origin: *" in block
    script = headers.split("/kalender/*badda-in.js\n", 1)[1].split("\n\n", 1)[0]
    assert "Content-Type: text/javascript; charset=utf-8" in script


def test_the_readme_documents_cors_for_the_embeds() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    nginx = readme.split("```nginx", 1)[1].split("```", 1)[0]
    apache = readme.split("```apache", 1)[1].split("```", 1)[0]
    assert "kommande" in nginx and "kommande" in apache
    assert "<kks-aktiviteter" in readme and "badda-in/ram/" in readme

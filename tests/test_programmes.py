"""Printable programmes (/program/…), the monthly e-mail digests (/nyhetsbrev/…) and the subscribe page's
"by e-mail" section, on the built HTML and text. The printed PDF is checked in tests/browser/test_browser_print.py."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from support import activity
from test_public import Node, dom, words

from kkssite.programmes import TEXT_WIDTH, qr_code

BASE = "https://example.org/kalender/"
EXTRA = {
    # the programme runs from NOW (2026-11-27 12:00) through 31 May 2027
    **activity("pagaende", title="Pågående kurs", sessions="[{start: 2026-11-20 18:00}, {start: 2026-12-04 18:00}]",
               start="", end=""),
    **activity("sista-maj", title="Sista maj", start="2027-05-31 18:00", end='"20:00"', price="1200"),
    **activity("forsta-juni", title="Första juni", start="2027-06-01 09:00"),
    **activity("slut", title="Förra veckans kurs", start="2026-11-20 09:00"),
    **activity("december", title="Ljus i december", start="2026-12-08 18:00", end='"21:00"',
               registration="{kind: anmälan, url: \"https://example.org/anmal\", deadline: 2026-12-01}"),
    **activity("mars", title="Ljus i mars", start="2027-03-02 09:00", registration="{kind: anmälan, url: \"https://example.org/anmal\", deadline: 2026-12-15}"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from feedgen_util import build_fixture

    output, _ = build_fixture(tmp_path_factory.mktemp("programmes"), "minimal", EXTRA)
    return output


def programme(site: Path, rel: str = "program/yrken/ljustekniker/index.html") -> Node:
    return dom(site / rel)


def items(page: Node) -> list[tuple[str, list[str]]]:
    """(month heading, [titles]) of a programme."""
    return [(words(section.all("h2")[0].text), [words(h.all("a")[0].text) for h in section.all("h3")])
            for section in page.css("programme-month")]


def test_a_programme_for_every_category_profession_and_region(site: Path) -> None:
    for rel in ("yrkeskategorier/teknisk", "yrkeskategorier/konstnarlig", "yrken/ljustekniker", "yrken/dansare",
                "regioner/blekinge", "regioner/skane"):
        assert (site / "program" / rel / "index.html").is_file(), rel
    assert not (site / "program/typer").exists()
    index = dom(site / "program/index.html")
    links = {a.attrs["href"] for a in index.all("main")[0].all("a")}
    assert {"../program/yrken/ljustekniker/", "../program/yrkeskategorier/teknisk/",
            "../program/regioner/skane/"} <= links
    term = dom(site / "yrken/ljustekniker/index.html")
    assert any(a.attrs["href"] == "../../program/yrken/ljustekniker/" for a in term.all("a"))
    assert not any("program/" in a.attrs.get("href", "") for a in dom(site / "typer/kurs/index.html").all("main")[0].all("a"))


def test_the_programme_lists_the_coming_half_year_month_by_month(site: Path) -> None:
    page = programme(site)
    assert words(page.all("h1")[0].text) == "Program: Ljustekniker"
    assert words(page.css("programme-period")[0].text) == (
        "Det kommande halvåret: 27 november 2026 – 31 maj 2027 · 5 aktiviteter")
    assert items(page) == [
        ("November 2026", ["Pågående kurs"]),  # begun, still upcoming: under the current month
        ("December 2026", ["Ljus i december"]),
        ("Mars 2027", ["Ljus i mars", "Ljusbord för turné"]),
        ("Maj 2027", ["Sista maj"]),  # the last day of the sixth month; 1 June is not in it
    ]
    last = page.css("programme-item")[-1]
    assert words(last.css("programme-when")[0].text) == "måndag 31 maj 2027, 18.00–20.00"
    assert [words(f.text) for f in last.css("programme-facts")[0].all("span")] == ["Kurs", "Malmö", "1\u00a0200\u00a0kr"]
    march = page.css("programme-item")[2]
    assert words(march.css("programme-deadline")[0].text) == "Sista anmälningsdag: tisdag 15 december 2026"


def test_a_cancelled_activity_is_marked_in_the_programme(site: Path) -> None:
    page = programme(site, "program/yrken/dansare/index.html")
    cancelled = next(i for i in page.css("programme-item") if "Dans och ljud" in i.text)
    assert "is-cancelled" in cancelled.classes
    assert words(cancelled.css("badge-cancelled")[0].text) == "Inställd"


def test_the_programme_shows_its_address_and_a_qr_code_of_it(site: Path) -> None:
    html = (site / "program/yrken/ljustekniker/index.html").read_text(encoding="utf-8")
    address = f"{BASE}program/yrken/ljustekniker/"
    assert str(qr_code(address)) in html  # the QR code of exactly this page's absolute address
    assert html.count(address) >= 3  # canonical, the QR code's label, the programme's head
    assert qr_code(address) != qr_code(f"{BASE}program/yrken/dansare/")
    page = programme(site)
    assert page.all("div", role="img")[0].attrs["aria-label"] == f"QR-kod till den här sidan: {address}"
    assert words(page.css("programme-address")[0].text) == f"Anmälan, ändringar och fler aktiviteter: {address}"


def test_the_print_stylesheet_makes_an_a4_notice() -> None:
    css = (Path(__file__).parent.parent / "theme/static/programme.css").read_text(encoding="utf-8")
    printed = css.split("@media print", 1)[1]
    assert "size: A4 portrait" in printed
    assert re.search(r"\.site-header, \.site-footer[^{]*\.programme-actions[^{]*\{ display: none", printed)
    assert "break-inside: avoid" in printed and "break-after: avoid" in printed


# --- the digests ------------------------------------------------------------------------------------------------


def digest(site: Path, month: str = "2026-12", term: str = "teknisk") -> tuple[str, Node, str]:
    folder = site / "nyhetsbrev" / month / term
    html = (folder / "index.html").read_text(encoding="utf-8")
    return html, dom(folder / "index.html"), (folder / "nyhetsbrev.txt").read_text(encoding="utf-8")


def test_a_digest_per_category_for_this_month_and_the_next_two(site: Path) -> None:
    for month in ("2026-11", "2026-12", "2027-01"):
        for term in ("teknisk", "konstnarlig", "administrativ"):
            assert (site / "nyhetsbrev" / month / term / "index.html").is_file()
            assert (site / "nyhetsbrev" / month / term / "nyhetsbrev.txt").is_file()
    assert not (site / "nyhetsbrev/2027-02").exists()
    index = dom(site / "nyhetsbrev/index.html")
    hrefs = [a.attrs["href"] for a in index.all("main")[0].all("a")]
    assert "../nyhetsbrev/2026-12/teknisk/" in hrefs and "../nyhetsbrev/2026-12/teknisk/nyhetsbrev.txt" in hrefs
    assert "nyhetsbrev" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_the_digest_lists_the_month_and_its_deadlines(site: Path) -> None:
    _, page, text = digest(site)
    assert words(page.all("h1")[0].text) == "Tekniska yrken: aktiviteter i december 2026"
    assert [words(h.text) for h in page.all("h3")] == ["Ljus i december", "Ljus i mars"]
    assert [words(h.text) for h in page.all("h2")] == ["Börjar den här månaden",
                                                      "Anmäl dig i tid – sista dagen är den här månaden",
                                                      "Håll dig uppdaterad"]
    assert "Sista anmälningsdag: tisdag 15 december 2026" in words(page.text)
    for title in ("Ljus i december", "Ljus i mars", "Sista anmälningsdag: tisdag 15 december 2026",
                  f"Läs mer och anmäl dig: {BASE}aktiviteter/december/", "En beskrivning."):
        assert title in text.replace("\n", " ") or title in text, title
    assert "Pågående kurs" not in text  # began in November
    _, january, january_text = digest(site, "2027-01", "konstnarlig")
    assert "INSTÄLLT: Dans och ljud" in january_text  # as the feeds mark it
    assert f"Läs mer: {BASE}aktiviteter/dans-och-ljud/" in january_text  # nothing to register for
    assert "Läs mer" in [words(a.text) for a in january.all("a")]


def test_the_digest_html_survives_e_mail_clients(site: Path) -> None:
    html, page, _ = digest(site)
    assert "<style" not in html and "<script" not in html and "<img" not in html and 'class="' not in html
    for node in page.all():
        if node.tag in ("p", "h1", "h2", "h3", "a", "td", "table", "body"):
            assert node.attrs.get("style"), f"<{node.tag}> without inline style"
    assert all(t.attrs.get("role") == "presentation" for t in page.all("table"))
    hrefs = [a.attrs["href"] for a in page.all("a")]
    assert hrefs and all(h.startswith(BASE) for h in hrefs), [h for h in hrefs if not h.startswith(BASE)]
    assert page.all("html")[0].attrs["lang"] == "sv"


def test_the_plain_text_part_is_wrapped_and_complete(site: Path) -> None:
    _, _, text = digest(site)
    assert text.startswith("Testkalendern\n\nTekniska yrken: aktiviteter i december 2026\n=====")
    for line in text.splitlines():
        assert len(line) <= TEXT_WIDTH or "https://" in line, line
    assert f"RSS: {BASE}yrkeskategorier/teknisk/feed.xml" in text
    assert f"{BASE}nyhetsbrev/2026-12/teknisk/" in text
    _, _, empty = digest(site, "2026-11", "administrativ")
    assert "Inga aktiviteter börjar den här månaden." in empty
    assert textwrap.dedent(empty) == empty


def test_the_subscribe_page_explains_feeds_by_e_mail(site: Path) -> None:
    page = dom(site / "prenumerera/index.html")
    section = page.all("section", aria_labelledby="epost")[0]
    assert "RSS" in words(section.text) and "e-post" in words(section.text)
    example = section.all("code")[0].text
    assert example.startswith(BASE) and example.endswith("/feed.xml")
    assert (site / example.removeprefix(BASE)).is_file()

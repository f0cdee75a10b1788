"""Programmes print to clean A4 pages in Chromium (page.pdf(), as "Skriv ut / spara som PDF" does): read back with
pypdf, the ljustekniker programme is one A4 page with its title, period, address and every activity, and none of
the site's navigation, buttons or footer; a longer programme breaks between activities, never inside one."""

from __future__ import annotations

import re
import unicodedata
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from .conftest import load
from .pages import PROGRAMME

A4 = (595.28, 841.89)  # points


def printed(new_page, url, path: str) -> list[str]:
    """The text of each page of a programme printed to PDF by Chromium."""
    tab = new_page(1280)
    load(tab, url(path), wait="networkidle")
    pdf = PdfReader(BytesIO(tab.pdf(format="A4", prefer_css_page_size=True)))
    for page in pdf.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1, (width, height)
    # NFKC undoes the font's ligatures ("ﬀ" → "ff") and no-break spaces
    return [" ".join(unicodedata.normalize("NFKC", page.extract_text() or "").split()) for page in pdf.pages]


def titles(site_dir: Path, path: str) -> list[str]:
    html = (site_dir / path / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'<h3 class="programme-title">.*?<a href="[^"]*">([^<]*)</a></h3>', html)
    return [t.replace("&amp;", "&") for t in found]


def test_the_ljustekniker_programme_prints_to_one_clean_a4_page(new_page, url, site_dir):
    pages = printed(new_page, url, PROGRAMME)
    assert len(pages) == 1, f"{len(pages)} pages: {[p[:80] for p in pages]}"
    text = pages[0]
    expected = titles(site_dir, PROGRAMME)
    assert len(expected) >= 5
    for title in expected:
        assert title in text, title
    for shown in ("Program: Ljustekniker", "Det kommande halvåret: 27 november 2026 – 31 maj 2027",
                  "https://kulturkraftsyd.se/program/yrken/ljustekniker/", "Sista anmälningsdag", "Fullbokad",
                  "December 2026", "Maj 2027"):
        assert shown in text, shown
    for hidden in ("Hoppa till innehållet", "Skriv ut / spara som PDF", "Inga kakor", "Fler program",
                   "Prenumerera på kalendern"):
        assert hidden not in text, hidden


def test_a_longer_programme_breaks_between_activities(new_page, url, site_dir):
    path = "program/yrkeskategorier/konstnarlig/"
    pages = printed(new_page, url, path)
    expected = titles(site_dir, path)
    assert len(pages) >= 2, f"{len(expected)} activities on {len(pages)} page"
    for title in expected:
        assert sum(title in page for page in pages) == 1, f"{title!r} is split across pages or missing"
    assert all(any(title in page for title in expected) for page in pages), "a page without an activity"

"""The English version (`translations: [en]` in site.yml): every page and feed again under /en/ with English
addresses, texts, dates and prices; a language switcher and hreflang alternates that land on the same page in
the other language; English content where it is given and the Swedish text, marked lang="sv", where it is not;
the Swedish site unchanged but for the switcher, the alternates and the sitemap; patched builds per language."""

from __future__ import annotations

import re
import shutil
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit

import pytest
from support import FIXTURES, NOW, activity
from test_build import tree

from kkssite.build import BuildResult, build
from kkssite.config import BuildOptions

ENGLISH_ACTIVITY = """---
title: Ljus på turné
uid: test-turne-ljus@example.org
type: kurs
professions: [ljustekniker]
art_forms: [teater]
city: malmo
start: 2027-02-02 09:00
end: "16:00"
price: 1200
language: [en]
summary: Svensk sammanfattning.
published: 2026-11-01
en:
  title: Lighting on tour
  summary: An English summary.
---
Svensk brödtext om ljus.

=== English ===

English body about *light*.
"""
SWITCH = re.compile(r'<nav class="languages"[^>]*>\s*<a href="([^"]+)" hreflang="([a-z]+)"')
HREFLANG = re.compile(r'<link rel="alternate" hreflang="([a-z]+)" href="([^"]+)">')


def english(content: Path) -> None:
    """Turn on the English version of a content folder, with English names for a few terms."""
    site = content / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("language: sv\n", "language: sv\ntranslations: [en]\n")
                    + "en:\n  tagline: A small calendar for tests\n", encoding="utf-8")
    vocabularies = content / "vocabularies.yml"
    text = vocabularies.read_text(encoding="utf-8")
    text = text.replace("name: Ljustekniker, category: teknisk}", "name: Ljustekniker, category: teknisk, "
                        "en: Lighting technician}")
    text = text.replace("name: Kurs, plural: Kurser}", "name: Kurs, plural: Kurser, en: Course, en_plural: Courses}")
    vocabularies.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, BuildResult]:
    """The minimal fixture with an activity in English, built once in both languages (the tests only read it)."""
    folder = tmp_path_factory.mktemp("bilingual")
    content = folder / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    (content / "activities" / "turne-ljus.md").write_text(ENGLISH_ACTIVITY, encoding="utf-8")
    english(content)
    output = folder / "output"
    result = build(BuildOptions(content=content, output=output, now=NOW, cache=None))
    return content, output, result


def read(output: Path, rel: str) -> str:
    return (output / rel).read_text(encoding="utf-8")


def test_every_page_and_feed_is_made_in_english_with_english_addresses(bilingual) -> None:  # type: ignore[no-untyped-def]
    _content, output, _result = bilingual
    swedish = {p for p in tree(output) if not p.startswith("en/")}
    made = {p[3:] for p in tree(output) if p.startswith("en/")}
    for rel in ("index.html", "activities/index.html", "activities/turne-ljus/index.html",
                "activities/turne-ljus/turne-ljus.ics", "professions/ljustekniker/index.html",
                "professions/ljustekniker/calendar.ics", "professions/ljustekniker/feed.xml", "calendar/index.html",
                "calendar/2027/02/index.html", "subscribe/index.html", "needs/index.html", "statistics/index.html",
                "languages/en/index.html", "om/index.html", "archive/index.html", "feed.json", "activities.json"):
        assert rel in made, rel
    # made once for the whole site, in its own language only
    for rel in ("404.html", "sitemap.xml", "robots.txt", "_headers"):
        assert rel in swedish and rel not in made
    assert not any(p.startswith("static/") for p in made)
    # every Swedish page and feed has its English twin (the same number of outputs, once-only ones aside)
    once = {p for p in swedish if p in ("404.html", "sitemap.xml", "robots.txt", "_headers")
            or p.startswith(("static/", "materials/", "images/"))}
    assert len(made) == len(swedish - once)
    page = read(output, "en/activities/turne-ljus/index.html")
    assert '<html lang="en">' in page
    assert "Tuesday 2 February 2027, <span class=\"nowrap\">09:00–16:00</span>" in page  # British English
    assert "SEK 1,200" in page
    assert "Course" in page and "Kurs<" not in page
    assert '<h1 class="hero-title">A small calendar for tests</h1>' in read(output, "en/index.html")
    assert "<h1>Lighting technician</h1>" in read(output, "en/professions/ljustekniker/index.html")
    # the activity taught in English is on the language facet's page, which the English home links
    assert "turne-ljus" in read(output, "en/languages/en/index.html")
    assert '<a href="../en/languages/en/">Activities taught in English</a>' in read(output, "en/index.html")
    assert "languages/en/" not in read(output, "index.html").replace("en/languages/en/", "")
    # Swedish pages are as they were
    swedish_page = read(output, "aktiviteter/turne-ljus/index.html")
    assert "tisdag 2 februari 2027, <span class=\"nowrap\">09.00–16.00</span>" in swedish_page
    assert "1\u00a0200\u00a0kr" in swedish_page
    assert "Ljus på turné" in swedish_page and "Lighting on tour" not in swedish_page
    assert "English body" not in swedish_page and "=== English ===" not in swedish_page


def test_the_switcher_and_hreflang_land_on_the_same_page_in_the_other_language(bilingual) -> None:  # type: ignore[no-untyped-def]
    _content, output, _result = bilingual
    base = "https://example.org/kalender/"
    # the embeds' frame (inside a partner's page) and the digests (e-mails) are not pages to switch on
    framed = re.compile(r"^(en/)?(badda-in/ram|embed/frame|nyhetsbrev/\d|newsletter/\d)")
    pages = [p for p in tree(output) if p.endswith(".html") and not framed.match(p)]
    assert len(pages) > 40
    for rel in (p for p in tree(output) if framed.match(p)):
        assert 'class="languages"' not in read(output, rel)
    for rel in pages:
        html = read(output, rel)
        found = SWITCH.search(html)
        assert found, rel
        link, lang = found.groups()
        assert lang == ("sv" if rel.startswith("en/") else "en"), rel
        target = urlsplit(urljoin(f"{base}{rel}", link)).path[len(urlsplit(base).path):]
        target_file = target + "index.html" if target.endswith("/") or not target else target
        assert (output / target_file).is_file(), (rel, link)
        if rel == "404.html":
            assert target_file == "en/index.html"
            continue
        back = SWITCH.search(read(output, target_file))
        assert back, target_file
        home = urlsplit(urljoin(f"{base}{target_file}", back.group(1))).path[len(urlsplit(base).path):]
        assert (home + "index.html" if home.endswith("/") or not home else home) == rel, (rel, target_file)
        alternates = dict(HREFLANG.findall(html))
        assert set(alternates) == {"sv", "en"}, rel
        own = f"{base}{rel}".removesuffix("index.html")
        assert alternates["en" if rel.startswith("en/") else "sv"] == own, rel
        assert alternates[lang] == f"{base}{target}", rel
    # a page of a paginated listing switches to the same page number
    assert (output / "en/activities/page/2/index.html").is_file()
    html = read(output, "aktiviteter/sida/2/index.html")
    found = SWITCH.search(html)
    assert found and found.group(1).endswith("en/activities/page/2/")


def test_missing_english_text_shows_the_swedish_text_marked_as_swedish(bilingual) -> None:  # type: ignore[no-untyped-def]
    _content, output, _result = bilingual
    given = read(output, "en/activities/turne-ljus/index.html")
    assert "<h1>Lighting on tour</h1>" in given and '<p class="lead">An English summary.</p>' in given
    assert "English body about <em>light</em>." in given and "Svensk brödtext" not in given
    missing = read(output, "en/activities/ljusbord-for-turne/index.html")
    assert '<h1 lang="sv">Ljusbord för turné</h1>' in missing
    assert re.search(r'<div lang="sv"><p>Tre kvällar om ljusbord', missing)
    # cards: the title as given, marked where it is Swedish
    listing = read(output, "en/activities/index.html") + read(output, "en/activities/page/2/index.html")
    assert re.search(r'href="[^"]*en/activities/turne-ljus/">Lighting on tour</a>', listing)
    assert re.search(r'href="[^"]*en/activities/ljusbord-for-turne/" lang="sv">Ljusbord för turné</a>', listing)
    # a page and a need with no English at all
    page = read(output, "en/om/index.html")
    assert '<h1 lang="sv">Om kalendern</h1>' in page and '<div lang="sv">' in page
    need = read(output, "en/needs/ljus-i-blekinge/index.html")
    assert re.search(r'<h1 lang="sv">', need)
    # nothing is ever marked on the Swedish site
    for rel in tree(output):
        if rel.endswith(".html") and not rel.startswith("en/"):
            html = re.sub(r'<html lang="sv"', "", read(output, rel))
            assert not re.search(r'(?<!href)lang="sv"', html.replace('hreflang="sv" lang="sv"', "")), rel


def test_english_feeds_have_english_names_and_the_same_uids(bilingual) -> None:  # type: ignore[no-untyped-def]
    _content, output, _result = bilingual
    ics = read(output, "en/professions/ljustekniker/calendar.ics")
    assert "X-WR-CALNAME:Testkalendern – Lighting technician" in ics
    swedish = read(output, "yrken/ljustekniker/kalender.ics")
    assert "X-WR-CALNAME:Testkalendern – Ljustekniker" in swedish

    def uids(text: str) -> list[str]:
        return re.findall(r"^UID:(.*)$", text.replace("\r\n ", ""), flags=re.MULTILINE)

    assert uids(ics) == uids(swedish) and uids(ics)  # one event, whichever calendar a subscriber holds it in
    assert "SUMMARY:Lighting on tour" in ics.replace("\r\n ", "")
    rss = read(output, "en/professions/ljustekniker/feed.xml")
    assert "<title>Testkalendern – Lighting technician</title>" in rss
    assert "https://example.org/kalender/en/activities/turne-ljus/" in rss
    assert '"title":"Lighting on tour"' in read(output, "en/activities.json")


def strip_translations(html: str) -> str:
    """A Swedish page without what the English version adds to it: the switcher and the hreflang alternates."""
    html = re.sub(r'<link rel="alternate" hreflang="[a-z]+" href="[^"]+">\n', "", html)
    return re.sub(r' *<nav class="languages".*?</nav>\n', "", html, flags=re.DOTALL)


def test_the_swedish_site_is_unchanged_but_for_the_switcher_and_the_sitemap(make_content, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = make_content(files={"activities/turne-ljus.md": ENGLISH_ACTIVITY})
    alone = tmp_path / "alone"
    build(BuildOptions(content=content, output=alone, now=NOW, cache=None))
    english(content)
    both = tmp_path / "both"
    build(BuildOptions(content=content, output=both, now=NOW, cache=None))
    before, after = tree(alone), tree(both)
    assert not any(p.startswith("en/") for p in before)
    assert set(before) == {p for p in after if not p.startswith("en/")}
    for rel, digest in before.items():
        if digest == after[rel]:
            continue
        if rel == "sitemap.xml":
            old, new = read(alone, rel), read(both, rel)
            assert set(re.findall("<loc>(.*)</loc>", old)) < set(re.findall("<loc>(.*)</loc>", new))
            assert "<loc>https://example.org/kalender/en/activities/</loc>" in new
            continue
        assert rel.endswith(".html"), rel  # feeds and data files are unchanged
        assert strip_translations(read(both, rel)) == read(alone, rel), rel


@pytest.mark.slow
def test_patched_builds_remake_both_languages(make_content, tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = make_content(files={"activities/turne-ljus.md": ENGLISH_ACTIVITY, **activity("annan")})
    english(content)
    output, cache = tmp_path / "output", tmp_path / ".cache"
    assert not build(BuildOptions(content=content, output=output, now=NOW, cache=cache)).patched
    file = content / "activities" / "turne-ljus.md"
    for old, new in (("  title: Lighting on tour", "  title: Lighting on the road"),
                     ("English body about", "An English body about"),
                     ("title: Ljus på turné", "title: Ljus på vägen")):
        file.write_text(file.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        result = build(BuildOptions(content=content, output=output, now=NOW, cache=cache))
        assert result.patched, new
        clean = tmp_path / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        build(BuildOptions(content=content, output=clean, now=NOW, cache=None))
        assert tree(output) == tree(clean), new
    assert "<h1>Lighting on the road</h1>" in read(output, "en/activities/turne-ljus/index.html")
    assert "Ljus på vägen" in read(output, "aktiviteter/turne-ljus/index.html")
    assert "An English body about" in read(output, "en/activities/turne-ljus/index.html")


def test_a_site_without_translations_makes_no_switcher(make_content, build_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    build_site(make_content())
    output = tmp_path / "output"
    assert not (output / "en").exists()
    html = read(output, "index.html")
    assert 'class="languages"' not in html and "hreflang" not in html


def test_english_paths_are_english_words() -> None:
    from kkssite.i18n import Language
    from kkssite.routes import Router

    router = Router(Language.load("en"), "https://example.org/", "en/")
    assert router.path("activity", slug="x") == "en/activities/x/"
    assert router.path("term", facet="professions", term="ljustekniker") == "en/professions/ljustekniker/"
    assert router.path("deadline-ics", slug="x") == "en/activities/x/x-deadline.ics"
    assert router.path("sitemap") == "sitemap.xml"  # made once
    assert str(PurePosixPath(router.path("month", year="2027", month="02"))) == "en/calendar/2027/02"

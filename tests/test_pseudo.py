"""Every text a visitor sees comes from the catalogue: the site built in the pseudo-locale, which wraps every
catalogue text in ⟦…⟧, shows no other words on any page type, in any feed title or JSON label than the
content's own (titles, names, descriptions: what editors wrote).

The check: take each text of a page (text nodes, and the attributes people read: title, alt, aria-label,
placeholder, optgroup labels, meta descriptions), remove the decorated parts, every string of the content and
every address written out (https://…), and no letter may be left. Code samples (<code>, like the embed
snippets: markup, URL words and slugs, which the pseudo-locale leaves as they are) are not texts."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import icalendar
import pytest
from support import NOW

from kkssite.build import build
from kkssite.config import BuildOptions
from kkssite.errors import Problems
from kkssite.load import load
from kkssite.text import html_text
from kkssite.validate import validate

DECORATED = re.compile(r"⟦[^⟦⟧]*⟧")
ADDRESS = re.compile(r"\b(?:https?|webcal)://[^\s<>\"⟦⟧]+")
#: Elements whose content is not read as text: scripts, styles and code samples.
NOT_TEXT = ("script", "style", "code")
READ_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder", "label")


#: Fields that hold identifiers or codes, not text a visitor reads (and would match inside words).
CODES = frozenset({"slug", "uid", "source", "vocabulary", "category", "region", "status", "mode", "kind",
                   "language", "timezone", "digest", "path"})


def content_strings(content: Path) -> list[str]:
    """Every text of the content (records, vocabularies, settings), longest first."""
    problems = Problems()
    catalog = validate(load(content, problems), problems, drafts=True)
    assert catalog is not None, [str(p) for p in problems]
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.add(value)
            if "<" in value:
                found.update(part for part in re.split(r"\s*[\n]\s*", html_text(value)) if part)
                found.update(re.findall(r">([^<>]+)<", value))
        elif isinstance(value, (tuple, list)):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                if f.name not in CODES:
                    walk(getattr(value, f.name))

    walk(catalog)
    return sorted((s.strip() for s in found if s.strip()), key=len, reverse=True)


def leftover(text: str, strings: list[str]) -> str:
    """What of a text is neither decorated nor content: the letters that escaped the catalogue."""
    text = ADDRESS.sub(" ", text)
    while DECORATED.search(text):
        text = DECORATED.sub(" ", text)
    for s in strings:
        if s in text:
            text = text.replace(s, " ")
    return re.sub(r"[\W\d_]+", " ", text).strip()


class Texts(HTMLParser):
    """The texts of an HTML page that people read: the attributes, each on its own, and the text of the page as
    one string (a catalogue text may hold markup, so its words are spread over several text nodes)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.body: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in NOT_TEXT:
            self.skip += 1
        values = dict(attrs)
        for name in READ_ATTRIBUTES:
            if values.get(name):
                self.texts.append(values[name] or "")
        if (tag == "meta" and values.get("name") == "description") or values.get("property") in ("og:title",
                                                                                                 "og:description"):
            self.texts.append(values.get("content") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in NOT_TEXT:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.body.append(data)


@pytest.fixture(scope="module")
def pseudo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    import shutil

    from support import FIXTURES

    folder = tmp_path_factory.mktemp("pseudo")
    content = folder / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    site = content / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("language: sv", "language: x-pseudo"), encoding="utf-8")
    build(BuildOptions(content=content, output=folder / "output", now=NOW, cache=None, drafts=True))
    return folder / "output", content_strings(content)


def test_every_page_type_shows_only_catalogue_and_content_text(pseudo: tuple[Path, list[str]]) -> None:
    output, strings = pseudo
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 200
    escaped: dict[str, set[str]] = {}
    for page in pages:
        parser = Texts()
        parser.feed(page.read_text(encoding="utf-8"))
        for text in [*parser.texts, "".join(parser.body)]:
            if rest := leftover(text, strings):
                escaped.setdefault(rest, set()).add(page.relative_to(output).as_posix())
    report = {text: sorted(where)[:3] for text, where in escaped.items()}
    assert not escaped, f"text outside the catalogue: {report}"


def test_feed_titles_and_json_labels_come_from_the_catalogue(pseudo: tuple[Path, list[str]]) -> None:
    output, strings = pseudo
    texts: list[str] = []
    for rss in output.rglob("*.xml"):
        if rss.name == "sitemap.xml":
            continue
        root = ElementTree.parse(rss).getroot()
        texts += [e.text or "" for e in root.iter() if e.tag in ("title", "description")]
    for ics in output.rglob("*.ics"):
        cal = icalendar.Calendar.from_ical(ics.read_bytes())
        texts += [str(cal[k]) for k in ("NAME", "X-WR-CALNAME", "X-WR-CALDESC") if k in cal]
        texts += [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    feed = json.loads((output / "feed.json").read_text(encoding="utf-8"))
    texts += [feed["description"], *(item["title"] for item in feed["items"])]
    data = json.loads((output / "aktiviteter.json").read_text(encoding="utf-8"))
    texts += [data["title"], *(a["status_label"] for a in data["activities"])]
    index = json.loads((output / "aktiviteter/index.json").read_text(encoding="utf-8"))
    texts += [text for item in index["items"] for text in (item["w"], item.get("pl", ""), item.get("dl", ""))]
    texts += [group["g"] for group in index["periods"]]
    needs = json.loads((output / "behov/behov.json").read_text(encoding="utf-8"))
    texts += [needs["title"], *(n["status_label"] for n in needs["needs"])]
    tables = sorted((output / "statistik").glob("*.csv"))
    assert len(tables) == 10
    for table in tables:  # headers and row labels of the statistics
        rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8-sig")), delimiter=";"))
        texts += [*rows[0], *(row[0] for row in rows[1:])]
    escaped = {rest for text in texts if (rest := leftover(re.sub(r"<[^>]+>", " ", text), strings))}
    assert not escaped, f"text outside the catalogue: {sorted(escaped)[:20]}"


def test_the_check_finds_text_outside_the_catalogue() -> None:
    """The harness itself: a word neither decorated nor content is found; decorated and content words are not."""
    assert leftover("⟦Kommande⟧ Ljusbord – 12", ["Ljusbord"]) == ""
    assert leftover("⟦Kommande⟧ aktiviteter", ["Ljusbord"]) == "aktiviteter"
    assert leftover("⟦Skanna:⟧ https://example.org/program/yrken/x/", []) == ""
    parser = Texts()
    parser.feed("<p>⟦Exempel:⟧ <code>&lt;kks-aktiviteter yrke=\"x\"&gt;</code> kvar</p>")
    assert leftover("".join(parser.body), []) == "kvar"

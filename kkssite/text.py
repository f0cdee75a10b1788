"""Pure text helpers: Markdown → sanitized HTML, plain text and excerpts, slugs, comparing spellings.

How dates, times, prices and places are worded for visitors is wording.py's job, in the page's language.
"""

from __future__ import annotations

import html as htmllib
import posixpath
import re
import unicodedata
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import markdown
import nh3
from markdown.extensions.def_list import DefListExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from slugify import slugify as _slugify

# Markdown → HTML, then an allow-list sanitizer (raw HTML in content never reaches visitors unfiltered).
_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
}
_ALLOWED_ATTRS = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
_HEADING_RE = re.compile(r"<(/?)h([1-6])\b")
# No "smarty": it writes English curly quotes (Swedish uses ” on both sides) and doubles the conversion time.
# The extensions are given as objects: by name, Markdown looks each up among the entry points of every installed
# package (importlib.metadata), 40 ms of every build's start.
_MD = markdown.Markdown(extensions=[TableExtension(), FencedCodeExtension(), DefListExtension(), SaneListExtension()],
                        output_format="html")


#: The line of a body after which its English version follows (the line alone, in any case, spaces around it).
ENGLISH_MARK = "=== English ==="
_ENGLISH_RE = re.compile(r"^[ \t]*===[ \t]*english[ \t]*===[ \t]*$", re.IGNORECASE | re.MULTILINE)


def split_english(body: str) -> tuple[str, str | None]:
    """A body's Swedish text and its English text (after the line "=== English ==="), or None without one."""
    found = _ENGLISH_RE.search(body)
    if found is None:
        return body, None
    return body[:found.start()], body[found.end():]


def markdown_html(source: str) -> str:
    """Render an editor's Markdown body to safe HTML; its top heading level becomes h2 (the page title is h1)."""
    _MD.reset()
    html = _MD.convert(source)
    levels = [int(m[2]) for m in _HEADING_RE.finditer(html)]
    if levels and min(levels) != 2:
        shift = 2 - min(levels)
        html = _HEADING_RE.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + shift, 6)}", html)
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRS,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener",
    )


_LINK_ATTR = re.compile(r'\b(href|src)="([^"]*)"')


def asset_target(address: str, source: str, folders: tuple[str, ...]) -> str | None:
    """The content-relative file an address of a body points at when it is in one of `folders` (root-relative,
    or relative to the source file `source`); None for any other address."""
    parts = urlsplit(address)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    rooted = path.startswith("/")
    target = posixpath.normpath(path.lstrip("/") if rooted else posixpath.join(posixpath.dirname(source), path))
    return target if target.split("/", 1)[0] in folders else None


def file_links(html: str, source: str, folders: tuple[str, ...]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The links and images of a rendered body that point at a file in one of `folders` (the asset folders):
    root-relative (`/images/x.jpg`) or relative to the source file (`source`, content-relative: from
    activities/x.md, `../images/x.jpg`). Returns the HTML, with the relative ones written root-relative (the
    theme's `|html` filter makes those relative to each page), and each file's content-relative path with the
    address as written. Other links (pages, other sites, `mailto:`) are left as they are."""
    found: list[tuple[str, str]] = []

    def visit(match: re.Match[str]) -> str:
        written = htmllib.unescape(match[2])
        target = asset_target(written, source, folders)
        if target is None:
            return match[0]
        found.append((target, written))
        parts = urlsplit(written)
        if parts.path.startswith("/"):
            return match[0]
        address = urlunsplit(("", "", "/" + quote(target), parts.query, parts.fragment))
        return f'{match[1]}="{htmllib.escape(address)}"'

    rewritten = _LINK_ATTR.sub(visit, html) if ("href=" in html or "src=" in html) else html
    return rewritten, tuple(found)


def html_text(html: str) -> str:
    """Rendered HTML → plain text on one line (for summaries, feeds and meta descriptions)."""
    text = nh3.clean(html, tags=set())
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&#39;", "'")
    return re.sub(r"\s+", " ", text.replace("&amp;", "&")).strip()


def plain_text(source: str) -> str:
    """Markdown → plain text on one line."""
    return html_text(markdown_html(source))


def first_sentences(text: str, limit: int = 200) -> str:
    """The first sentences of a text, cut at a word boundary under `limit` characters."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    stop = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if stop > limit // 2:
        return cut[: stop + 1]
    return cut[: cut.rfind(" ")].rstrip(",;:") + "…"


def without_accents(text: str) -> str:
    """Lower case without diacritics ("Skådespelare" → "skadespelare"): how spellings are compared."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slugify(text: str, fallback: str = "aktivitet") -> str:
    """A URL slug from a Swedish title: 'Ljus & scen – grund' → 'ljus-scen-grund'; `fallback` (a slug) when the
    title has no letter or digit to make one of."""
    return _slugify(text, max_length=80, word_boundary=True) or fallback


#: Letters that a language sorts after z, in its order (Swedish: å, ä, ö; Danish and Norwegian: æ, ø, å).
_LAST_LETTERS = {"sv": "åäö", "fi": "åäö", "da": "æøå", "no": "æøå", "nb": "æøå"}


def collation_key(text: str, language: str) -> tuple[str, str]:
    """A sort key in a language's alphabetical order: its own letters after z, other accents ignored
    ("Ängelholm" after "Ystad" in Swedish), then the text itself to break ties."""
    last = _LAST_LETTERS.get(language.split("-")[0], "")
    folded = []
    for char in text.lower():
        if char in last:
            folded.append(chr(0x7B + last.index(char)))  # the characters after "z"
        else:
            folded.extend(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    return "".join(folded), text

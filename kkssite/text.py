"""Pure text helpers: Markdown → sanitized HTML, plain text and excerpts, slugs, comparing spellings.

How dates, times, prices and places are worded for visitors is wording.py's job, in the page's language.
"""

from __future__ import annotations

import re
import unicodedata

import markdown
import nh3
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
_MD = markdown.Markdown(extensions=["tables", "fenced_code", "def_list", "sane_lists"], output_format="html")


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


def slugify(text: str) -> str:
    """A URL slug from a Swedish title: 'Ljus & scen – grund' → 'ljus-scen-grund'."""
    return _slugify(text, max_length=80, word_boundary=True) or "aktivitet"


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

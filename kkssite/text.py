"""Pure text helpers: Swedish dates and prices without the OS locale, Markdown → sanitized HTML, slugs.

Swedish date style follows Språkrådet ("tisdag 3 februari 2027, 09.00–16.00"); the names are written out here
because CLDR's Swedish time pattern uses a colon and the machine's locale must never matter.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal

import markdown
import nh3
from slugify import slugify as _slugify

WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
WEEKDAYS_SHORT = ("mån", "tis", "ons", "tors", "fre", "lör", "sön")
MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)
MONTHS_SHORT = ("jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec")
DASH = "\u2013"

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


# --- Swedish dates ---------------------------------------------------------------------------------------


def clock(moment: datetime) -> str:
    """09.00"""
    return f"{moment.hour:02d}.{moment.minute:02d}"


def day_long(day: date) -> str:
    """tisdag 3 februari 2027"""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def day_medium(day: date) -> str:
    """3 februari 2027"""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def day_short(day: date) -> str:
    """tis 3 feb"""
    return f"{WEEKDAYS_SHORT[day.weekday()]} {day.day} {MONTHS_SHORT[day.month - 1]}"


def month_year(day: date) -> str:
    """februari 2027"""
    return f"{MONTHS[day.month - 1]} {day.year}"


def span(start: datetime, end: datetime | None, all_day: bool) -> str:
    """A session the Swedish way: 'tisdag 3 februari 2027, 09.00–16.00', or days for all-day events."""
    if all_day:
        if end is None or end.date() == start.date():
            return day_long(start.date())
        if start.year == end.year and start.month == end.month:
            return f"{WEEKDAYS[start.weekday()]} {start.day}{DASH}{WEEKDAYS[end.weekday()]} {end.day} " \
                   f"{MONTHS[end.month - 1]} {end.year}"
        return f"{day_long(start.date())} {DASH} {day_long(end.date())}"
    if end is None:
        return f"{day_long(start.date())}, {clock(start)}"
    if end.date() == start.date():
        return f"{day_long(start.date())}, {clock(start)}{DASH}{clock(end)}"
    return f"{day_long(start.date())}, {clock(start)} {DASH} {day_long(end.date())}, {clock(end)}"


def span_short(start: datetime, end: datetime | None, all_day: bool) -> str:
    """'tis 3 feb 09.00' (or 'tis 3–fre 6 feb' for all-day ranges) for cards and feed titles."""
    if all_day:
        if end is None or end.date() == start.date():
            return day_short(start.date())
        return f"{day_short(start.date())}{DASH}{day_short(end.date())}"
    return f"{day_short(start.date())} {clock(start)}"


def deadline_text(moment: datetime) -> str:
    """A deadline: 'fredag 10 december 2027' (date-only deadlines end 23.59) or with a time."""
    if (moment.hour, moment.minute) == (23, 59):
        return day_long(moment.date())
    return f"{day_long(moment.date())}, {clock(moment)}"


def kronor(amount: Decimal) -> str:
    """1 200 kr (non-breaking thin grouping as Swedish typography wants), 0 → Kostnadsfritt."""
    if amount == 0:
        return "Kostnadsfritt"
    whole = amount.quantize(Decimal(1)) if amount == amount.to_integral() else amount
    text = f"{whole:,}".replace(",", "\u00a0").replace(".", ",")
    return f"{text}\u00a0kr"


def hours_text(hours: Decimal) -> str:
    """7,5 timmar / 1 timme"""
    number = hours.normalize() if hours != hours.to_integral() else hours.quantize(Decimal(1))
    shown = f"{number}".replace(".", ",")
    return f"{shown} timme" if number == 1 else f"{shown} timmar"


def days_until(now: datetime, moment: datetime) -> int:
    """Whole calendar days from now's date to the moment's date (local)."""
    return (moment.date() - now.date()) // timedelta(days=1)

"""text and wording: dates, times and prices worded by the catalogue and CLDR (never the machine's locale),
in the site's time zone; Markdown sanitizing; slugs."""

import locale
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from kkssite import text
from kkssite.i18n import Language
from kkssite.wording import Wording

TZ = ZoneInfo("Europe/Stockholm")
SV = Wording(Language.load("sv"), TZ)
EN = Wording(Language.load("en"), TZ)


def at(*args: int, tz: ZoneInfo = TZ) -> datetime:
    return datetime(*args, tzinfo=tz)  # type: ignore[misc]


def test_session_spans_the_swedish_way() -> None:
    assert SV.span(at(2027, 2, 2, 9), at(2027, 2, 2, 16), False) == "tisdag 2 februari 2027, 09.00–16.00"
    assert SV.span(at(2027, 2, 2, 18), None, False) == "tisdag 2 februari 2027, 18.00"
    assert SV.span(at(2027, 6, 10), at(2027, 6, 12), True) == "torsdag 10–lördag 12 juni 2027"
    assert SV.span(at(2027, 6, 30), at(2027, 7, 1), True) == "onsdag 30 juni 2027 – torsdag 1 juli 2027"
    assert SV.span(at(2027, 1, 1, 22), at(2027, 1, 2, 2), False) == (
        "fredag 1 januari 2027, 22.00 – lördag 2 januari 2027, 02.00")


def test_english_wording_comes_from_the_same_code() -> None:
    assert EN.span(at(2027, 2, 2, 9), at(2027, 2, 2, 16), False) == "Tuesday 2 February 2027, 09:00–16:00"
    assert EN.kronor(Decimal(1200)) == "SEK 1,200" and EN.kronor(Decimal(0)) == "Free of charge"


def test_times_are_shown_in_the_site_time_zone() -> None:
    helsinki = Wording(Language.load("sv"), ZoneInfo("Europe/Helsinki"))
    moment = at(2027, 2, 2, 9)  # 09.00 in Stockholm
    assert helsinki.clock(moment) == "10.00" and SV.clock(moment) == "09.00"
    assert helsinki.span(moment, at(2027, 2, 2, 23, 30), False) == \
        "tisdag 2 februari 2027, 10.00 – onsdag 3 februari 2027, 00.30"


def test_short_forms_and_deadlines() -> None:
    assert SV.span_short(at(2027, 3, 2, 18), None, False) == "tis 2 mars 18.00"
    assert SV.span_short(at(2027, 3, 2, 18), None, False, year=True) == "tis 2 mars 2027 18.00"
    assert SV.deadline(at(2027, 3, 1, 23, 59)) == "måndag 1 mars 2027"
    assert SV.deadline(at(2027, 3, 1, 12, 0)) == "måndag 1 mars 2027, 12.00"


def test_prices_and_hours() -> None:
    assert SV.kronor(Decimal(0)) == "Kostnadsfritt"
    assert SV.kronor(Decimal(1200)) == "1\u00a0200\u00a0kr"
    assert SV.hours(Decimal("7.5")) == "7,5 timmar"
    assert SV.hours(Decimal(1)) == "1 timme"


def test_the_machine_locale_does_not_matter() -> None:
    before = locale.setlocale(locale.LC_ALL)
    try:
        try:
            locale.setlocale(locale.LC_ALL, "C.UTF-8")
        except locale.Error:  # pragma: no cover - every Debian has C.UTF-8
            pytest.fail("no C.UTF-8 locale")
        assert SV.date_long(at(2027, 2, 2, 9)) == "tisdag 2 februari 2027"
    finally:
        locale.setlocale(locale.LC_ALL, before)


def test_markdown_is_sanitized_and_headings_start_at_h2() -> None:
    html = text.markdown_html('# Rubrik\n\nText <script>alert(1)</script> <a href="javascript:x">a</a>\n\n## Under')
    assert "<h2>Rubrik</h2>" in html and "<h3>Under</h3>" in html
    assert "<script" not in html and "javascript:" not in html


def test_plain_text_and_first_sentences() -> None:
    assert text.plain_text("**Fet** & [länk](https://x.se)") == "Fet & länk"
    long = "Första meningen är här. " + "ord " * 80
    assert text.first_sentences(long, 40) == "Första meningen är här."


def test_slugify_folds_swedish_letters() -> None:
    assert text.slugify("Ljus & scen – för åländska tekniker") == "ljus-scen-for-alandska-tekniker"

"""text: Swedish dates, prices and Markdown sanitizing, independent of the machine's locale."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from kkssite import text

TZ = ZoneInfo("Europe/Stockholm")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)  # type: ignore[misc]


def test_session_spans_the_swedish_way() -> None:
    assert text.span(at(2027, 2, 2, 9), at(2027, 2, 2, 16), False) == "tisdag 2 februari 2027, 09.00–16.00"
    assert text.span(at(2027, 2, 2, 18), None, False) == "tisdag 2 februari 2027, 18.00"
    assert text.span(at(2027, 6, 10), at(2027, 6, 12), True) == "torsdag 10–lördag 12 juni 2027"
    assert text.span(at(2027, 6, 30), at(2027, 7, 1), True) == "onsdag 30 juni 2027 – torsdag 1 juli 2027"
    assert text.span(at(2027, 1, 1, 22), at(2027, 1, 2, 2), False) == (
        "fredag 1 januari 2027, 22.00 – lördag 2 januari 2027, 02.00")


def test_short_forms_and_deadlines() -> None:
    assert text.span_short(at(2027, 3, 2, 18), None, False) == "tis 2 mars 18.00"
    assert text.deadline_text(at(2027, 3, 1, 23, 59)) == "måndag 1 mars 2027"
    assert text.deadline_text(at(2027, 3, 1, 12, 0)) == "måndag 1 mars 2027, 12.00"


def test_prices_and_hours() -> None:
    assert text.kronor(Decimal(0)) == "Kostnadsfritt"
    assert text.kronor(Decimal(1200)) == "1\u00a0200\u00a0kr"
    assert text.hours_text(Decimal("7.5")) == "7,5 timmar"
    assert text.hours_text(Decimal(1)) == "1 timme"


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

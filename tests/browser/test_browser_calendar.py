"""The month view /kalender/<yyyy>/<mm>/: an accessible table captioned with the month, links to the previous
and next month that change it, today (the build's --now, 2026-11-27) marked; the home page links it."""

from __future__ import annotations

import re

from .conftest import screenshot
from .pages import HOME, MONTH

NEXT = re.compile(r"nästa|senare|december 2026", re.I)
PREVIOUS = re.compile(r"föregående|förra|tidigare|november 2026", re.I)


def month_name(page) -> str:
    """The month the page shows: the grid's caption (also when narrow screens get the list instead)."""
    caption = page.locator("table caption").first
    assert caption.count(), "the month view has no <table> with a <caption>"
    return " ".join(caption.text_content().split()).lower()


def month_link(page, pattern: re.Pattern[str], rel: str):
    """The link to the next or previous month: rel=next/prev, else a link named like `pattern` outside the grid."""
    by_rel = page.locator(f'main a[rel~="{rel}"]:visible')
    if by_rel.count():
        return by_rel.first
    named = page.get_by_role("main").get_by_role("link", name=pattern)
    assert named.count(), f"no visible link to the {rel} month"
    return named.first


def test_month_grid_is_an_accessible_table(page, goto):
    goto(MONTH)
    screenshot(page, "month")
    assert "november 2026" in month_name(page)
    grid = page.locator("table").first
    headers = grid.locator("th")
    assert headers.count() >= 7, "the weekday columns have no <th> headers"
    week = " ".join(headers.all_text_contents()).lower()
    assert all(day in week for day in ("må", "ti", "on", "to", "fr", "lö", "sö")), week


def test_month_view_navigates(page, goto, url):
    goto(MONTH)
    month_link(page, NEXT, "next").click()
    page.wait_for_url(url("kalender/2026/12/"))
    assert "december 2026" in month_name(page)
    month_link(page, PREVIOUS, "prev").click()
    page.wait_for_url(url(MONTH))
    assert "november 2026" in month_name(page)


def test_today_is_marked(page, goto):
    goto(MONTH)
    today = page.locator('[aria-current="date"]')
    assert today.count() == 1, f"{today.count()} elements marked aria-current=date"
    assert re.search(r"\b27\b", today.first.text_content()), today.first.text_content()
    assert today.first.is_visible(), f"today (27 November) is not shown at {page.viewport_size['width']} px"
    looks = """e => { const s = getComputedStyle(e);
        return [s.backgroundColor, s.color, s.fontWeight, s.outlineStyle, s.borderTopStyle, s.boxShadow].join('|'); }"""
    other_days = page.locator("main td:not([aria-current])")
    others = {other_days.nth(i).evaluate(looks) for i in range(min(other_days.count(), 6))}
    assert today.first.evaluate(looks) not in others, "today looks the same as the other days"


def test_home_links_the_current_month(page, goto, url):
    goto(HOME)
    hrefs = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
    assert url(MONTH) in hrefs, "the home page has no link to /kalender/2026/11/"

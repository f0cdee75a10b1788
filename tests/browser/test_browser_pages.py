"""Every key page loads cleanly in the browser at 375 and 1280 px: no script errors, nothing missing, no request
off this machine, no sideways scrolling (down to 320 px), a listing under 100 kB before images, and the site works
unchanged under a sub-path. Saves screenshots of home, an activity, a facet and the month view."""

from __future__ import annotations

import pytest

from .conftest import load, screenshot
from .pages import ACTIVITY, HOME, KEY_PAGES, LISTING, MONTH

PAGES = {**KEY_PAGES, "listing": LISTING}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_loads_cleanly(page, goto, path, request):
    goto(path, wait="networkidle")
    name = request.node.callspec.id.split("-", 1)[1]
    screenshot(page, name)
    where = f"/{path} at {page.viewport_size['width']} px"
    visit = page.visit
    assert not visit.errors, f"{where}: JavaScript errors: {visit.errors}"
    assert not visit.console, f"{where}: console errors: {visit.console}"
    assert not visit.failed, f"{where}: failed requests: {visit.failed}"
    assert not visit.external, f"{where}: requests off the site: {visit.external}"
    assert page.evaluate(OVERFLOW) <= 0, f"{where}: the page scrolls sideways by {page.evaluate(OVERFLOW)} px"


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_dark_mode_loads_cleanly(page, goto, path, request):
    """The same pages in dark mode (screenshots <page>-dark-<width>px.png: look at them after changing the theme)."""
    page.emulate_media(color_scheme="dark")
    goto(path, wait="networkidle")
    screenshot(page, request.node.callspec.id.split("-", 1)[1] + "-dark")
    assert not page.visit.errors and not page.visit.console and not page.visit.external
    assert page.evaluate(OVERFLOW) <= 0


@pytest.mark.parametrize("path", [HOME, ACTIVITY, LISTING, MONTH], ids=["home", "activity", "listing", "month"])
def test_no_sideways_scrolling_at_320px(new_page, url, path):
    tab = new_page(320, 640)
    load(tab, url(path))
    overflow = tab.evaluate(OVERFLOW)
    wide = tab.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))"""
    )
    assert overflow <= 0, f"/{path} at 320 px scrolls sideways by {overflow} px; too wide: {wide}"


@pytest.mark.parametrize("path", [HOME, LISTING], ids=["home", "listing"])
def test_listing_weighs_under_100_kb_before_images(new_page, url, path):
    tab = new_page(1280)
    load(tab, url(path), wait="networkidle")
    sizes = tab.evaluate(
        """() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
            .filter(e => e.initiatorType !== 'img' && !/\\.(png|jpe?g|webp|avif|gif|svg)(\\?|$)/.test(e.name))
            .map(e => [e.name, e.decodedBodySize])"""
    )
    total = sum(size for _, size in sizes)
    assert total < 100_000, f"/{path}: {total} bytes before images: {sizes}"


def test_site_works_under_a_sub_path(new_page, url):
    """The same build served under a sub-path: styles and scripts load, and the main menu's links stay inside it."""
    tab = new_page(1280)
    load(tab, url(HOME, sub=True), wait="networkidle")
    assert not tab.visit.failed, f"missing under the sub-path: {tab.visit.failed}"
    assert not tab.visit.errors, f"JavaScript errors under the sub-path: {tab.visit.errors}"
    assert tab.evaluate("document.styleSheets.length") > 0
    hrefs = tab.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
    local = [h for h in hrefs if h.startswith(url(""))]
    assert local and all(h.startswith(url("", sub=True)) for h in local), [
        h for h in local if not h.startswith(url("", sub=True))
    ]
    tab.get_by_role("link", name="Aktiviteter", exact=True).first.click()
    tab.wait_for_load_state()
    assert tab.url == url(LISTING, sub=True)

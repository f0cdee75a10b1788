"""The English site in the browser: the language switcher lands on the same page in the other language and back
(with the mouse and with the keyboard alone), and the filter works in English words (its query, its texts)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import EXPECT_MS, screenshot
from .pages import ACTIVITY, EN_ACTIVITY, EN_LISTING, EN_STATEMENT, LISTING
from .test_browser_filter import choose, hits, settle


def switcher(page):
    return page.get_by_role("navigation", name=re.compile("^(Language|Språk)$"))


def test_switching_language_lands_on_the_same_page_and_back(page, goto, url):
    goto(ACTIVITY)
    link = switcher(page).get_by_role("link", name="English")
    expect(link).to_have_attribute("hreflang", "en")
    link.click()
    page.wait_for_url(url(EN_ACTIVITY))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Lighting design for the stage"))
    expect(page.get_by_text("Tuesday 2 February 2027").first).to_be_visible()
    screenshot(page, "en-activity")
    switcher(page).get_by_role("link", name="Svenska").click()
    page.wait_for_url(url(ACTIVITY))
    expect(page.locator("html")).to_have_attribute("lang", "sv")


def test_the_switcher_is_reached_with_the_keyboard(page, goto, url):
    goto(EN_STATEMENT)
    target = switcher(page).get_by_role("link", name="Svenska")
    for _ in range(30):  # the skip link, the brand, the menu (or its button), the switcher
        page.keyboard.press("Tab")
        if target.evaluate("e => e === document.activeElement"):
            break
    expect(target).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(url("tillganglighet/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tillgänglighetsredogörelse")


def test_swedish_text_on_an_english_page_is_marked_and_said(page, goto):
    goto(EN_STATEMENT)
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    expect(page.get_by_text("This text is in Swedish only.")).to_be_visible()
    body = page.locator('main div[lang="sv"]')
    expect(body).to_contain_text("KulturKraft Syd står bakom den här webbplatsen")
    screenshot(page, "en-statement")


def test_the_filter_works_in_english(page, goto):
    goto(EN_LISTING)
    open_filter_en(page)
    everything = hits(page)
    before = page.url
    choose(page, re.compile("^Profession", re.I), "Lighting technician")
    settle(page, before)
    assert "profession=ljustekniker" in page.url, page.url
    narrowed = hits(page)
    assert 0 < narrowed < everything
    expect(page.get_by_role("main").get_by_role("status").first).to_have_text(re.compile(r"\d+ "),
                                                                              timeout=EXPECT_MS)
    screenshot(page, "en-filter")
    # the same selection on the Swedish listing counts as many
    goto(LISTING + "?yrke=ljustekniker")
    assert hits(page) == narrowed


def open_filter_en(page) -> None:
    """Narrow screens keep the filter behind "Show the filter"."""
    ctrl = page.get_by_role("main").get_by_role("combobox", name=re.compile("^Profession", re.I)).first
    if not ctrl.is_visible():
        page.get_by_role("main").get_by_role("button", name=re.compile("filter", re.I), expanded=False).first.click()
    expect(ctrl).to_be_visible()

"""The combined filter on the listing (theme/static/filter.js, progressive enhancement): choosing a profession and
a city narrows the list and the count of hits, keeps the state in the URL query, and the state comes back on
reload, on the back button and from a shared URL (also under a sub-path)."""

from __future__ import annotations

import re
from contextlib import suppress

from playwright.sync_api import expect

from .conftest import EXPECT_MS, load, screenshot
from .pages import FACET, LISTING

PROFESSION = (re.compile(r"^yrke", re.I), "Ljustekniker")
CITY = (re.compile(r"^ort", re.I), "Malmö")


def control(page, label: re.Pattern[str]):
    """The filter control (a select, or a group of checkboxes/radios) whose label or legend matches."""
    main = page.get_by_role("main")
    for role in ("combobox", "listbox", "group", "radiogroup"):
        found = main.get_by_role(role, name=label)
        if found.count():
            return found.first
    found = main.get_by_label(label)
    assert found.count(), f"no filter control labelled {label.pattern!r}"
    return found.first


def open_filter(page) -> None:
    """Narrow screens may keep the controls behind a disclosure button: open it if the controls are hidden."""
    ctrl = control(page, PROFESSION[0])
    if not ctrl.is_visible():
        toggle = page.get_by_role("main").get_by_role("button", name=re.compile("filt", re.I), expanded=False)
        assert toggle.count(), "the profession filter is hidden and no button opens it"
        toggle.first.click()
    assert ctrl.is_visible(), f"the profession filter is not visible at {page.viewport_size['width']} px"


def choose(page, label: re.Pattern[str], option: str) -> None:
    ctrl = control(page, label)
    if ctrl.evaluate("e => e.tagName") == "SELECT":
        value = ctrl.evaluate(
            "(e, text) => [...e.options].find(o => o.textContent.trim().startsWith(text))?.value ?? null", option
        )
        assert value is not None, f"{label.pattern}: no option {option!r}"
        ctrl.select_option(value)
    else:
        ctrl.get_by_label(re.compile(rf"^{re.escape(option)}")).first.check()


def chosen(page, label: re.Pattern[str]) -> str:
    """What the control shows as chosen (the selected option's text, or the checked boxes' labels)."""
    ctrl = control(page, label)
    return ctrl.evaluate(
        """e => e.tagName === 'SELECT' ? e.options[e.selectedIndex]?.textContent.trim() ?? ''
            : [...e.querySelectorAll('input:checked')].map(i => i.labels[0]?.textContent.trim()).join(',')"""
    )


def status(page):
    """The filter's live region (role=status) that announces the count of hits."""
    found = page.get_by_role("main").get_by_role("status").first
    assert found.count(), "the filter has no live region (role=status) announcing its count"
    return found


def hits(page) -> int:
    """The count of hits the filter announces."""
    region = status(page)
    expect(region).to_have_text(re.compile(r"\d"), timeout=EXPECT_MS)
    return int(re.search(r"\d+", region.text_content()).group())


def hits_become(page, expected: int) -> int:
    """The count once it shows `expected` (a redraw after popstate or load comes when the index has loaded); the
    last count shown when it never does."""
    with suppress(AssertionError):
        expect(status(page)).to_have_text(re.compile(rf"^\D*{expected}\b"), timeout=EXPECT_MS)
    return hits(page)


def shown(page) -> int:
    """Activity cards visible in the list."""
    return page.get_by_role("main").get_by_role("article").filter(visible=True).count()


def settle(page, before: str | None = None, *, holds: str | None = None) -> None:
    """Wait until the filter has applied a choice: filter.js draws the hits and then updates the URL in the same
    task, so a new URL (or one that holds `holds`) means the list and the count are drawn."""
    if before is not None:
        page.wait_for_function("u => location.href !== u", arg=before)
    if holds is not None:
        page.wait_for_url(re.compile(re.escape(holds)))


def test_filter_narrows_and_restores_from_the_url(page, goto, url):
    goto(LISTING)
    open_filter(page)
    everything = hits(page)
    assert everything >= 20 and "?" not in page.url

    before = page.url
    choose(page, *PROFESSION)
    settle(page, before)
    by_profession = hits(page)
    profession_url = page.url
    assert 0 < by_profession < everything, (everything, by_profession)
    assert "ljustekniker" in profession_url, f"the URL does not keep the profession: {profession_url}"
    assert shown(page) == by_profession, f"{shown(page)} cards shown, the count says {by_profession}"

    before = page.url
    choose(page, *CITY)
    settle(page, before)
    both = hits(page)
    both_url = page.url
    assert 0 < both < by_profession, (by_profession, both)
    assert "ljustekniker" in both_url and "malmo" in both_url, both_url
    assert shown(page) == both
    screenshot(page, "filter")

    page.reload()
    assert page.url == both_url and hits_become(page, both) == both, "reload lost the selection"
    assert chosen(page, PROFESSION[0]).startswith("Ljustekniker") and chosen(page, CITY[0]).startswith("Malmö")

    page.go_back()
    page.wait_for_url(profession_url)
    assert hits_become(page, by_profession) == by_profession, "back did not restore the previous selection"
    assert shown(page) == by_profession
    assert not chosen(page, CITY[0]).startswith("Malmö")

    page.go_back()
    page.wait_for_url(url(LISTING))
    assert hits_become(page, everything) == everything, "back to the unfiltered list did not restore it"
    assert chosen(page, PROFESSION[0]).startswith("Alla")


def test_shared_url_opens_the_same_selection(page, goto, new_page, url):
    goto(LISTING)
    open_filter(page)
    choose(page, *PROFESSION)
    settle(page, holds="ljustekniker")
    choose(page, *CITY)
    settle(page, holds="malmo")
    shared, count = page.url, hits(page)
    other = new_page(1280)
    load(other, shared)
    assert hits_become(other, count) == count and shown(other) == count
    query = shared.split("?", 1)[1]
    under = new_page(375)
    load(under, url(LISTING, sub=True) + "?" + query)
    assert hits_become(under, count) == count, "the filter gives another count under a sub-path"
    assert not other.visit.errors and not under.visit.errors, other.visit.errors + under.visit.errors


def test_free_text_narrows(page, goto):
    goto(LISTING)
    open_filter(page)
    everything = hits(page)
    box = page.get_by_role("main").get_by_role("searchbox")
    if not box.count():
        box = page.get_by_role("main").get_by_label(re.compile(r"sök|fritext", re.I))
    assert box.count(), "no free-text search field in the filter"
    box.first.fill("ljus")
    page.wait_for_url(re.compile(r"[?&]q=ljus"))
    narrowed = hits(page)
    assert 0 < narrowed < everything
    assert "ljus" in page.url


def test_filter_and_subscribe_agree(page, goto):
    """One profession has a calendar of its own; a profession in a city has none, so the filter offers the closest
    one (the profession in the city's region) and says what it holds; the listing's own "Alla aktiviteter" block
    is hidden while a selection is shown."""
    goto(LISTING)
    own = page.locator("#listing-subscribe")
    expect(own).to_be_visible()
    open_filter(page)
    choose(page, *PROFESSION)
    settle(page, holds="ljustekniker")
    offer = page.locator("#filter-subscribe")
    link = offer.get_by_role("link", name=re.compile(r"prenumerera", re.I))
    expect(link.first).to_be_visible()
    assert link.first.get_attribute("href").endswith("yrken/ljustekniker/kalender.ics")
    assert link.first.get_attribute("href").startswith("webcal://")
    note = offer.locator(".filter-subscribe-note")
    expect(note).to_have_text(re.compile(rf"^Prenumerera på det du har valt: Ljustekniker, nu med {hits(page)} kommande"))
    expect(own).to_be_hidden()
    before = page.url
    choose(page, *CITY)
    settle(page, before)
    shown = hits(page)
    expect(link.first).to_have_attribute("href", re.compile(r"^webcal://.*yrken/ljustekniker/skane/kalender\.ics$"))
    expect(note).to_have_text(re.compile(r"^Ingen kalender har precis det du har valt\. Närmast är Ljustekniker i "
                                         r"Skåne, nu med \d+ kommande\.$"))
    held = int(re.search(r"nu med (\d+)", note.text_content()).group(1))
    assert held >= shown, (held, shown)
    if page.viewport_size["width"] == 1280:
        screenshot(page, "filter-closest-feed")


def test_facet_page_filter_starts_from_its_term(page, goto):
    goto(FACET)
    open_filter(page)
    assert chosen(page, PROFESSION[0]).startswith("Ljustekniker"), chosen(page, PROFESSION[0])
    on_facet = hits(page)
    before = page.url
    choose(page, *CITY)
    settle(page, before)
    assert 0 < hits(page) < on_facet and "malmo" in page.url


def test_without_javascript_the_static_listing_remains(new_page, url):
    tab = new_page(375)
    tab.route("**/*.js", lambda route: route.abort())
    load(tab, url(LISTING))
    main = tab.get_by_role("main")
    assert main.get_by_role("article").filter(visible=True).count() >= 10, "the static cards are not shown"
    assert not main.get_by_role("combobox").filter(visible=True).count(), "filter controls shown that cannot work"
    assert main.get_by_role("link", name=re.compile("nästa|sida 2|2", re.I)).count(), "no link to the next page"

"""What a visitor does first on a phone: open the menu with its button, find the main action ("Anmäl dig") in the
key facts and keep it within reach while reading, and choose what to subscribe to."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .pages import ACTIVITY, CANCELLED, HOME


def test_the_menu_button_opens_and_closes_the_menu(new_page, url):
    tab = new_page(375)
    tab.goto(url(HOME))
    menu = tab.get_by_role("navigation", name="Huvudmeny")
    button = tab.get_by_role("button", name="Meny")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Aktiviteter", exact=True)).to_be_visible()
    tab.keyboard.press("Tab")
    tab.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(button).to_be_focused()
    wide = new_page(1280)
    wide.goto(url(HOME))
    expect(wide.get_by_role("button", name="Meny")).to_be_hidden()
    expect(wide.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Kalender")).to_be_visible()


def test_without_javascript_the_menu_link_opens_the_menu(new_page, url):
    tab = new_page(375)
    tab.route("**/*.js", lambda route: route.abort())
    tab.goto(url(HOME))
    menu = tab.get_by_role("navigation", name="Huvudmeny")
    expect(menu).to_be_hidden()
    tab.get_by_role("link", name="Meny").click()
    expect(menu.get_by_role("link", name="Kalender")).to_be_visible()


def test_the_main_action_stays_within_reach_on_a_phone(new_page, url):
    tab = new_page(375)
    tab.goto(url(ACTIVITY))
    action = tab.locator(".key-facts .main-action a")
    bar = tab.locator(".sticky-action")
    expect(action).to_have_text("Anmäl dig")
    tab.locator("#om").scroll_into_view_if_needed()
    tab.locator("#for-vem").scroll_into_view_if_needed()
    expect(bar).to_be_visible()  # the box's action is out of sight: the bar keeps it at the bottom
    box = bar.bounding_box()
    assert box and box["y"] + box["height"] <= 812 + 1, box
    expect(bar.get_by_role("link", name="Anmäl dig")).to_have_attribute("href", action.get_attribute("href"))
    action.scroll_into_view_if_needed()
    expect(bar).to_be_hidden()
    wide = new_page(1280)
    wide.goto(url(ACTIVITY))
    wide.locator("#for-vem").scroll_into_view_if_needed()
    expect(wide.locator(".sticky-action")).to_be_hidden()
    cancelled = new_page(375)
    cancelled.goto(url(CANCELLED))
    expect(cancelled.locator(".main-action, .sticky-action")).to_have_count(0)


def test_choosing_what_to_follow_points_the_links_at_that_calendar(page, goto):
    goto(ACTIVITY)
    block = page.locator("#prenumerera")
    subscribe = block.get_by_role("link", name="Prenumerera i kalenderappen")
    expect(subscribe).to_have_attribute("href", re.compile(r"yrken/ljusdesigner/blekinge/kalender\.ics$"))
    block.get_by_role("radio", name="Kurser").check()
    expect(subscribe).to_have_attribute("href", re.compile(r"typer/kurs/kalender\.ics$"))
    expect(block.get_by_role("link", name="RSS")).to_have_attribute("href", re.compile(r"typer/kurs/feed\.xml$"))
    expect(block.locator(".feed-chosen")).to_be_hidden()  # the radio buttons say it now

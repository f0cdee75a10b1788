"""Keyboard-only use: the first Tab reaches the skip link, which moves focus into <main>; the main menu can be
reached and followed with Tab and Enter; every focused element shows a visible focus indicator."""

from __future__ import annotations

import pytest

from .conftest import screenshot
from .pages import ACTIVITY, FACET, HOME, MONTH

FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    const target = e.hash ? document.getElementById(decodeURIComponent(e.hash.slice(1))) : null;
    return {
        tag: e.tagName.toLowerCase(), text: (e.innerText || e.getAttribute('aria-label') || '').trim().slice(0, 60),
        href: e.getAttribute('href'), expanded: e.getAttribute('aria-expanded'),
        targetIsMain: !!target && (target.tagName === 'MAIN' || target.getAttribute('role') === 'main'),
        inMain: !!e.closest('main, [role=main]'),
        inMenu: !!e.closest('header nav, [role=banner] nav, nav[aria-label]') && !e.closest('main, footer'),
        visible: r.width > 1 && r.height > 1 && r.bottom > 0 && r.right > 0
            && r.left < innerWidth && s.visibility !== 'hidden' && s.opacity !== '0',
        outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
        shadow: s.boxShadow !== 'none',
        outlineCss: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
    };
}"""


def focused(page) -> dict | None:
    return page.evaluate(FOCUSED)


@pytest.mark.parametrize("path", [HOME, ACTIVITY, FACET, MONTH], ids=["home", "activity", "facet", "month"])
def test_skip_link_comes_first_and_moves_focus_to_main(page, goto, path):
    goto(path)
    page.keyboard.press("Tab")
    first = focused(page)
    assert first and first["tag"] == "a" and first["targetIsMain"], f"first Tab on /{path} reached {first}"
    assert first["visible"], f"the skip link stays hidden when focused: {first}"
    page.keyboard.press("Enter")
    after = page.evaluate("() => !!document.activeElement.closest('main, [role=main]')")
    assert after, f"Enter on the skip link left focus on {focused(page) or 'the body'}"
    page.keyboard.press("Tab")
    following = focused(page)
    assert following and following["inMain"], f"the Tab after the skip link went to {following}"


def test_main_menu_is_reachable_and_followable(page, goto, url):
    goto(HOME)
    opened = False
    for _ in range(40):
        page.keyboard.press("Tab")
        now = focused(page)
        assert now, "Tab left the page before reaching the main menu"
        if now["tag"] == "button" and now["expanded"] == "false" and not opened:
            page.keyboard.press("Enter")  # a menu button on narrow screens
            opened = True
            continue
        if now["inMenu"] and now["tag"] == "a" and now["visible"] and now["href"] and "aktiviteter" in now["href"]:
            break
    else:
        pytest.fail("40 presses of Tab never reached the main menu's link to Aktiviteter")
    page.keyboard.press("Enter")
    page.wait_for_url(url("aktiviteter/"))


def test_focus_is_visible(page, goto):
    goto(HOME)
    seen, invisible = [], []
    for _ in range(30):
        page.keyboard.press("Tab")
        now = focused(page)
        if not now:
            break
        seen.append(now)
        if now["visible"] and not (now["outline"] or now["shadow"]):
            invisible.append(f"{now['tag']} «{now['text']}» outline: {now['outlineCss']}")
    if page.viewport_size["width"] == 1280:
        screenshot(page, "home-keyboard-focus")
    assert len(seen) >= 10, f"only {len(seen)} elements took focus"
    assert not invisible, "focus not visible on:\n" + "\n".join(invisible)

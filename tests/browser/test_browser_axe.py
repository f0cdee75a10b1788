"""axe-core (vendored from npm, injected into the page by the test, never served) finds no serious or critical
violation on the key pages, at 375 and 1280 px, in light and in dark mode."""

from __future__ import annotations

import pytest

from .pages import KEY_PAGES

BLOCKING = {"serious", "critical"}


def axe_violations(page, axe_js) -> list[dict]:
    page.add_script_tag(path=str(axe_js))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary || ''})),
            }));
        }"""
    )


def report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} elements)")
        for node in v["nodes"][:4]:
            summary = " ".join(node["summary"].split())[:300]
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("path", KEY_PAGES.values(), ids=KEY_PAGES.keys())
def test_no_serious_violations(page, goto, axe_js, path):
    goto(path)
    blocking = [v for v in axe_violations(page, axe_js) if v["impact"] in BLOCKING]
    assert not blocking, f"axe-core on /{path} at {page.viewport_size['width']} px:\n{report(blocking)}"


@pytest.mark.parametrize("path", KEY_PAGES.values(), ids=KEY_PAGES.keys())
def test_no_serious_violations_in_dark_mode(page, goto, axe_js, path):
    page.emulate_media(color_scheme="dark")
    goto(path)
    blocking = [v for v in axe_violations(page, axe_js) if v["impact"] in BLOCKING]
    assert not blocking, f"axe-core on /{path}, dark mode, at {page.viewport_size['width']} px:\n{report(blocking)}"


def test_axe_reports_what_it_should(page, axe_js):
    """The harness itself: a page with an unlabelled field and grey-on-white text does fail."""
    page.set_content(
        '<!DOCTYPE html><html lang="sv"><title>t</title><main><p style="color:#bbb;background:#fff">svag text</p>'
        '<input type="text"></main></html>'
    )
    found = {v["id"] for v in axe_violations(page, axe_js) if v["impact"] in BLOCKING}
    assert {"color-contrast", "label"} <= found, found

"""The embeds tried as a partner would: a partner page on another origin (a second loopback server, another port)
embeds both snippets from /badda-in/ — the web component and the frame — and shows "our workshops for dancers".

Both show the right activities (those of the site's own kommande.json for the selection), a cancelled activity as
cancelled, are usable with the keyboard, pass axe (the component in its shadow root, the frame in its own
document), size the frame to its content (no inner scroll bar), make no request but to the site, set no cookie
and store nothing; without the script the component is its plain link. The builder page /badda-in/ turns the
choices into the live preview and the snippets."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import EXPECT_MS, load, screenshot
from .test_browser_axe import BLOCKING, axe_violations, report

#: The partner page: an English intranet page with "our workshops for dancers" twice (component and frame), and a
#: second selection that holds a cancelled activity (the puppetry workshop), twice again.
PARTNER = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dance company intranet</title>
<style>body {{ font: 16px/1.5 Georgia, serif; color: #222; background: #fff; margin: 0 auto; max-width: 60rem;
padding: 1rem; }}</style></head>
<body>
<header><p>Dance company intranet</p></header>
<main>
<h1>Further training</h1>
<h2>Our workshops for dancers</h2>
<kks-aktiviteter id="dancers" yrke="dansare" typ="workshop" antal="5">
  <a href="{site}aktiviteter/?yrke=dansare&amp;typ=workshop">Kommande aktiviteter hos KulturKraft Syd</a>
</kks-aktiviteter>
<h2>The same in a frame</h2>
<iframe id="dancers-frame" src="{site}badda-in/ram/?yrke=dansare&amp;typ=workshop&amp;antal=5"
        title="Workshops for dancers" style="width: 100%; height: 120px; border: 0;"></iframe>
<h2>For our puppeteers</h2>
<kks-aktiviteter id="puppets" yrke="dockspelare" visning="kort">
  <a href="{site}yrken/dockspelare/">Kommande aktiviteter hos KulturKraft Syd</a>
</kks-aktiviteter>
<iframe id="puppets-frame" src="{site}badda-in/ram/?yrke=dockspelare&amp;visning=kort"
        title="Workshops for puppeteers" style="width: 100%; height: 120px; border: 0;"></iframe>
<p><a href="#top">Back to the top</a></p>
</main>
<script src="{site}badda-in.js" defer></script>
</body>
</html>
"""

SHADOW_TITLES = """id => [...document.getElementById(id).shadowRoot.querySelectorAll('li .title a')]
    .map(a => a.textContent)"""
FRAME_TITLES = """() => [...document.querySelector('kks-aktiviteter').shadowRoot.querySelectorAll('li .title a')]
    .map(a => a.textContent)"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def partner(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The partner's site on http://127.0.0.1:<another port>/ (another origin than the site's)."""
    folder = tmp_path_factory.mktemp("partner")
    (folder / "index.html").write_text(PARTNER.format(site=server), encoding="utf-8")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(folder)))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, name="partner-server", daemon=True).start()
    try:
        address = f"http://127.0.0.1:{httpd.server_address[1]}/"
        assert urlsplit(address).netloc != urlsplit(server).netloc
        yield address
    finally:
        httpd.shutdown()
        httpd.server_close()


def expected(site_dir: Path, rel: str, limit: int, **chosen: str) -> list[dict]:
    """The items of one kommande.json that match every chosen facet, the soonest `limit`."""
    items = json.loads((site_dir / rel).read_text(encoding="utf-8"))["items"]
    found = [i for i in items if all(i["f"].get(k) == "*" or v in i["f"].get(k, []) for k, v in chosen.items())]
    return found[:limit]


def frame(tab, element_id: str):
    handle = tab.query_selector(f"#{element_id}")
    found = handle.content_frame()
    assert found is not None, element_id
    found.wait_for_function("() => { const e = document.querySelector('kks-aktiviteter');"
                            " return e && e.shadowRoot && e.shadowRoot.querySelector('.kks'); }")
    return found


def open_partner(new_page, partner: str, width: int):
    tab = new_page(width)
    load(tab, partner, wait="networkidle")
    for element in ("dancers", "puppets"):
        tab.wait_for_function(f"() => !!document.getElementById('{element}').shadowRoot?.querySelector('.kks')")
    return tab


def test_both_snippets_show_the_selection_on_another_origin(new_page, partner, site_dir, server, width,
                                                            browser_context):
    tab = open_partner(new_page, partner, width)
    dancers = [i["t"] for i in expected(site_dir, "yrken/dansare/kommande.json", 5, typ="workshop")]
    assert len(dancers) >= 3, dancers  # the sample site has workshops for dancers
    assert tab.evaluate(SHADOW_TITLES, "dancers") == dancers
    assert frame(tab, "dancers-frame").evaluate(FRAME_TITLES) == dancers
    puppets = [i["t"] for i in expected(site_dir, "yrken/dockspelare/kommande.json", 5)]
    assert tab.evaluate(SHADOW_TITLES, "puppets") == puppets
    assert frame(tab, "puppets-frame").evaluate(FRAME_TITLES) == puppets
    # the component's text is Swedish on an English page, and links to the activity on the site
    box = tab.evaluate("() => { const b = document.getElementById('dancers').shadowRoot.querySelector('.kks');"
                       " return {lang: b.lang, href: b.querySelector('li a').href}; }")
    first = expected(site_dir, "yrken/dansare/kommande.json", 1, typ="workshop")[0]
    assert box == {"lang": "sv", "href": server + first["u"]}
    visit = tab.visit
    local = {urlsplit(partner).netloc, urlsplit(server).netloc}
    assert not visit.errors and not visit.console and not visit.failed, (visit.errors, visit.console, visit.failed)
    requests = tab.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
    assert requests and all(urlsplit(r).netloc in local for r in requests), requests
    assert all(urlsplit(r).netloc in local for r in visit.external), visit.external  # the partner's, the site's
    assert browser_context.cookies() == []
    assert tab.evaluate("() => localStorage.length + sessionStorage.length") == 0
    assert frame(tab, "dancers-frame").evaluate("() => localStorage.length + sessionStorage.length") == 0
    screenshot(tab, "embed-partner")


def test_a_cancelled_activity_shows_as_cancelled(new_page, partner, site_dir, width):
    tab = open_partner(new_page, partner, width)
    cancelled = [i for i in expected(site_dir, "yrken/dockspelare/kommande.json", 5)
                 if any(b[0] == "cancelled" for b in i.get("b", []))]
    assert cancelled, "the sample site has a cancelled activity for puppeteers"
    title = cancelled[0]["t"]
    script = """([root, title]) => {
        const li = [...root.querySelectorAll('li')].find(l => l.querySelector('.title a').textContent === title);
        const a = li.querySelector('.title a');
        return {cls: li.className, badge: li.querySelector('.badge-cancelled')?.textContent,
                line: getComputedStyle(a).textDecorationLine};
    }"""
    shadow = tab.evaluate_handle("() => document.getElementById('puppets').shadowRoot")
    inside = frame(tab, "puppets-frame").evaluate_handle("() => document.querySelector('kks-aktiviteter').shadowRoot")
    for root, where in ((shadow, tab), (inside, frame(tab, "puppets-frame"))):
        found = where.evaluate(script, [root, title])
        assert found == {"cls": "item is-cancelled", "badge": "Inställd", "line": "line-through"}, found


def test_the_frame_takes_the_height_of_its_content(new_page, partner):
    tab = open_partner(new_page, partner, 375)
    for element in ("dancers-frame", "puppets-frame"):
        inner = frame(tab, element)
        height = inner.evaluate("() => Math.ceil(document.body.getBoundingClientRect().height)")
        assert height > 200  # more than the snippet's starting height of 120 px
        tab.wait_for_function(f"h => Math.abs(document.getElementById('{element}').getBoundingClientRect().height"
                              " - h) <= 1", arg=height, timeout=EXPECT_MS)
        scroll = inner.evaluate("() => document.documentElement.scrollHeight - document.documentElement.clientHeight")
        assert scroll <= 1, f"{element} scrolls by {scroll} px inside"


def test_the_frame_ignores_messages_from_other_origins(new_page, partner):
    tab = open_partner(new_page, partner, 1280)
    before = tab.evaluate("() => document.getElementById('dancers-frame').style.height")
    tab.evaluate("() => window.postMessage({type: 'kks-embed-height', height: 5}, '*')")  # the partner's own origin
    tab.wait_for_timeout(0)
    tab.evaluate("() => new Promise(r => setTimeout(r, 0))")  # let the message be delivered
    assert tab.evaluate("() => document.getElementById('dancers-frame').style.height") == before


def test_the_snippets_work_with_the_keyboard(new_page, partner, site_dir, server):
    tab = open_partner(new_page, partner, 1280)
    first = expected(site_dir, "yrken/dansare/kommande.json", 1, typ="workshop")[0]
    reached_component = reached_frame = False
    for _ in range(60):
        tab.keyboard.press("Tab")
        now = tab.evaluate("""() => {
            const host = document.activeElement;
            const inner = host && host.shadowRoot ? host.shadowRoot.activeElement : null;
            const e = inner || host, s = getComputedStyle(e);
            return {host: host.id || host.tagName, text: e.textContent.trim(), tag: e.tagName,
                    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0};
        }""")
        if now["host"] == "dancers" and now["text"] == first["t"]:
            assert now["tag"] == "A" and now["outline"], now
            reached_component = True
        if now["host"] == "dancers-frame":
            inside = frame(tab, "dancers-frame").evaluate(
                "() => { const h = document.activeElement; const e = h.shadowRoot ? h.shadowRoot.activeElement : h;"
                " return e ? e.textContent.trim() : ''; }")
            if inside == first["t"]:
                reached_frame = True
                break
    assert reached_component, "Tab never reached the component's first activity"
    assert reached_frame, "Tab never reached the first activity inside the frame"
    tab.keyboard.press("Enter")  # a link in the frame opens in the top window, on the site
    tab.wait_for_url(server + first["u"])


def test_the_snippets_pass_axe(new_page, partner, axe_js, width):
    tab = open_partner(new_page, partner, width)
    blocking = [v for v in axe_violations(tab, axe_js) if v["impact"] in BLOCKING]
    assert not blocking, f"axe-core on the partner page at {width} px:\n{report(blocking)}"
    for element in ("dancers-frame", "puppets-frame"):
        inner = frame(tab, element)
        blocking = [v for v in axe_violations(inner, axe_js) if v["impact"] in BLOCKING]
        assert not blocking, f"axe-core in {element} at {width} px:\n{report(blocking)}"


def test_without_the_script_the_component_is_its_link(new_page, partner, server):
    tab = new_page(1280)
    tab.route("**/badda-in.js", lambda route: route.abort())
    load(tab, partner, wait="load")
    link = tab.locator("#dancers a")
    assert link.is_visible()
    assert link.get_attribute("href") == f"{server}aktiviteter/?yrke=dansare&typ=workshop"


def test_the_builder_turns_choices_into_the_preview_and_the_snippets(new_page, url, site_dir, server):
    tab = new_page(1280)
    load(tab, url("badda-in/"), wait="networkidle")
    tab.select_option("#embed-yrke", "yrke:dansare")
    tab.select_option("#embed-typ", "typ:workshop")
    tab.fill("#embed-antal", "3")
    tab.check("input[value='kort']")
    dancers = [i["t"] for i in expected(site_dir, "yrken/dansare/kommande.json", 3, typ="workshop")]
    tab.wait_for_function(
        "titles => JSON.stringify([...document.getElementById('embed-preview').shadowRoot"
        ".querySelectorAll('li .title a')].map(a => a.textContent)) === JSON.stringify(titles)", arg=dancers)
    assert tab.evaluate("() => !!document.getElementById('embed-preview').shadowRoot.querySelector('.kks-cards')")
    component = tab.text_content("#snippet-component")
    assert component.startswith('<kks-aktiviteter yrke="dansare" typ="workshop" antal="3" visning="kort">')
    assert 'aktiviteter/?yrke=dansare&amp;typ=workshop"' in component
    assert "https://kulturkraftsyd.se/badda-in.js" in component
    frame_code = tab.text_content("#snippet-frame")
    assert "badda-in/ram/?yrke=dansare&amp;typ=workshop&amp;antal=3&amp;visning=kort" in frame_code
    copy = tab.locator("button[data-copy-from='snippet-component']")
    assert copy.is_visible() and copy.get_attribute("data-copy") == component
    screenshot(tab, "embed-builder")

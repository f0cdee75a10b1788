"""The wish form (/onska/, theme/static/wish.js) and the needs listing in the browser, as a new user meets them:
from the ljustekniker page "Önska en aktivitet" opens the form pre-filled; with no inbox the form writes an
e-mail whose front matter block, pasted into content/needs/, passes `kkssite check` and builds; wrong answers
give an error summary that takes the focus and messages tied to their fields; everything works with the keyboard
alone; axe-core finds nothing serious; with an inbox the form posts without its script, and with it the POST
carries the block. The needs filter narrows the needs with the listings' machinery."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from playwright.sync_api import expect

from kkssite.build import check
from kkssite.config import BuildOptions, parse_now

from .conftest import NOW, ROOT, load, screenshot
from .test_browser_axe import BLOCKING, axe_violations, report

WISH = "onska/"
BEGIN, END = "=== kopiera härifrån ===", "=== kopiera hit ==="


def main(tab):
    return tab.get_by_role("main")


def active_id(tab) -> str:
    return tab.evaluate("document.activeElement && document.activeElement.id")


def the_block(message: str) -> tuple[str, str]:
    """The front matter block between the markers of a composed message, and the file name it suggests."""
    assert BEGIN in message and END in message, message
    block = message.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n") + "\n"
    name = re.search(r"content/needs/([a-z0-9-]+\.md)", message)
    assert name, f"the message names no file: {message}"
    return block, name.group(1)


def checked_need(block: str, name: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The sample content with the block pasted as content/needs/<name>: `kkssite check` finds no problem."""
    content = tmp_path / "content"
    if not content.exists():
        shutil.copytree(ROOT / "content", content)
    (content / "needs" / name).write_text(block, encoding="utf-8")
    catalog, problems = check(BuildOptions(content=content, now=parse_now(NOW)))
    assert catalog is not None and not list(problems), [str(p) for p in problems]
    return content, catalog.needs[name.removesuffix(".md")]


def test_from_a_profession_the_wish_becomes_a_need_that_builds(new_page, url, tmp_path):
    tab = new_page(1280)
    load(tab, url("yrken/ljustekniker/"))
    main(tab).get_by_role("link", name="Önska en aktivitet").click()
    tab.wait_for_url(re.compile(r"/onska/\?yrke=ljustekniker$"))
    form = main(tab)
    expect(form.get_by_role("checkbox", name="Ljustekniker", exact=True)).to_be_checked()
    expect(form.get_by_role("checkbox", name="Ljudtekniker", exact=True)).not_to_be_checked()
    form.get_by_label("Med några ord").fill("Programmering av rörligt ljus")
    form.get_by_label("Berätta mer").fill("Vi har fått nya rörliga strålkastare men ingen utbildning.")
    form.get_by_role("checkbox", name="Teater", exact=True).check()
    form.get_by_label("Ort eller region").select_option("region:blekinge")
    form.get_by_label("Form", exact=True).select_option(label="Kurs")
    form.get_by_role("checkbox", name="Kvällar").check()
    form.get_by_label("Hur många har behovet?").fill("3")
    form.get_by_label("Namn", exact=True).fill("Kim Ek")
    form.get_by_label("E-post", exact=True).fill("kim@example.se")
    form.get_by_role("checkbox", name=re.compile("^Jag samtycker")).check()
    form.get_by_role("button", name="Skriv e-postmeddelandet").click()

    result = tab.locator("#onska-klart")
    expect(result).to_be_visible()
    expect(result).to_be_focused()
    expect(tab.locator("#onska")).to_be_hidden()
    message = tab.locator("#onska-meddelande").input_value()
    mailto = tab.get_by_role("link", name="Öppna e-postmeddelandet").get_attribute("href")
    parts = urlsplit(mailto)
    assert parts.scheme == "mailto" and parts.path == "info@kulturkraftsyd.se", mailto
    query = parse_qs(parts.query)
    assert query["subject"] == ["Önskemål om en aktivitet: Programmering av rörligt ljus"]
    assert query["body"][0] == message.replace("\n", "\r\n")
    assert "Namn: Kim Ek" in message and "E-post: kim@example.se" in message
    block, name = the_block(message)
    assert name == "programmering-av-rorligt-ljus.md"
    assert "Kim" not in block and "kim@example.se" not in block  # the contact details stay out of the file
    screenshot(tab, "wish-composed")

    content, need = checked_need(block, name, tmp_path)
    assert need.title == "Programmering av rörligt ljus" and need.status == "open" and need.interest == 3
    assert [p.slug for p in need.professions] == ["ljustekniker"] and [a.slug for a in need.art_forms] == ["teater"]
    assert [r.slug for r in need.regions] == ["blekinge"]
    assert need.reported_by == ("En yrkesverksam, via önskeformuläret",)
    built = subprocess.run(
        [sys.executable, "-c", "from kkssite.cli import main; raise SystemExit(main())", "build", "--content",
         str(content), "--output", str(tmp_path / "output"), "--now", NOW],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "output/behov/programmering-av-rorligt-ljus/index.html").read_text(encoding="utf-8")
    assert "Programmering av rörligt ljus" in page and "Kvällar" in page


def test_wrong_answers_get_an_error_summary_and_messages_tied_to_their_fields(page, goto):
    goto(WISH)
    form = main(page)
    form.get_by_label("Namn", exact=True).fill("Kim Ek")
    form.get_by_label("E-post", exact=True).fill("inte-en-adress")
    form.get_by_role("button", name="Skriv e-postmeddelandet").click()

    summary = page.locator("#onska-fel")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Det finns 3 fel i formuläret")
    assert summary.get_by_role("link").all_inner_texts() == [
        "Skriv vad du vill lära dig.", "Skriv e-postadressen som namn@exempel.se.",
        "Kryssa i att vi får spara dina kontaktuppgifter, eller lämna namn, organisation och e-post tomma."]
    for field, message in (("#onska-title", "Skriv vad du vill lära dig."),
                           ("#onska-email", "Skriv e-postadressen som namn@exempel.se.")):
        control = page.locator(field)
        expect(control).to_have_attribute("aria-invalid", "true")
        ids = control.get_attribute("aria-describedby").split()
        assert f"{field[1:]}-fel" in ids, ids
        expect(page.locator(f"{field}-fel")).to_have_text(message)
        assert all(page.locator(f"#{i}").count() == 1 for i in ids)
    expect(form.get_by_role("textbox", name="Med några ord")).to_have_accessible_description(
        re.compile("Skriv vad du vill lära dig"))
    screenshot(page, "wish-errors")

    summary.get_by_role("link").nth(1).click()
    expect(page.locator("#onska-email")).to_be_focused()
    page.locator("#onska-email").fill("kim@example.se")
    form.get_by_label("Med några ord").fill("Scenstrid för film")
    form.get_by_role("checkbox", name=re.compile("^Jag samtycker")).check()
    form.get_by_role("button", name="Skriv e-postmeddelandet").click()
    expect(page.locator("#onska-klart")).to_be_focused()
    expect(summary).to_be_hidden()
    assert page.locator("[aria-invalid]").count() == 0 and page.locator(".field-error").count() == 0
    assert not page.visit.errors, page.visit.errors


def test_the_form_works_with_the_keyboard_alone(new_page, url):
    tab = new_page(375)
    load(tab, url(WISH + "?yrke=ljustekniker"))
    for _ in range(60):
        tab.keyboard.press("Tab")
        if active_id(tab) == "onska-title":
            break
    else:
        pytest.fail("Tab never reached the first field of the wish form")
    tab.keyboard.press("Enter")  # an empty title: the summary takes the focus
    expect(tab.locator("#onska-fel")).to_be_focused()
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.closest('#onska-fel') !== null")
    tab.keyboard.press("Enter")  # the summary's link leads to the field
    expect(tab.locator("#onska-title")).to_be_focused()
    tab.keyboard.type("Ljusbord för turné")
    tab.keyboard.press("Tab")
    expect(tab.locator("#onska-description")).to_be_focused()
    tab.keyboard.press("Shift+Tab")
    tab.keyboard.press("Enter")
    expect(tab.locator("#onska-klart")).to_be_focused()
    tab.keyboard.press("Tab")
    focused = tab.evaluate("[document.activeElement.tagName, document.activeElement.textContent.trim()]")
    assert focused == ["A", "Öppna e-postmeddelandet"], focused
    block, _name = the_block(tab.locator("#onska-meddelande").input_value())
    assert "professions: [ljustekniker]" in block and 'title: "Ljusbord för turné"' in block


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_on_the_form_its_errors_and_its_message(page, goto, axe_js, scheme):
    page.emulate_media(color_scheme=scheme)
    goto(WISH)
    where = f"/{WISH} ({scheme}, {page.viewport_size['width']} px)"
    blocking = [v for v in axe_violations(page, axe_js) if v["impact"] in BLOCKING]
    assert not blocking, f"axe-core on {where}:\n{report(blocking)}"
    main(page).get_by_label("E-post", exact=True).fill("fel")
    main(page).get_by_role("button", name="Skriv e-postmeddelandet").click()
    expect(page.locator("#onska-fel")).to_be_visible()
    blocking = [v for v in axe_violations(page, axe_js) if v["impact"] in BLOCKING]
    assert not blocking, f"axe-core on {where} with errors:\n{report(blocking)}"
    main(page).get_by_label("E-post", exact=True).fill("kim@example.se")
    main(page).get_by_label("Med några ord").fill("Dramaturgi")
    main(page).get_by_role("checkbox", name=re.compile("^Jag samtycker")).check()
    main(page).get_by_role("button", name="Skriv e-postmeddelandet").click()
    expect(page.locator("#onska-klart")).to_be_visible()
    blocking = [v for v in axe_violations(page, axe_js) if v["impact"] in BLOCKING]
    assert not blocking, f"axe-core on {where} with the message:\n{report(blocking)}"


def test_without_javascript_and_without_an_inbox_the_page_explains_the_e_mail(new_page, url):
    tab = new_page(375)
    tab.route("**/*.js", lambda route: route.abort())
    load(tab, url(WISH))
    expect(tab.locator("#onska")).to_be_hidden()
    link = main(tab).get_by_role("link", name="info@kulturkraftsyd.se")
    expect(link).to_be_visible()
    assert unquote(link.get_attribute("href")) == "mailto:info@kulturkraftsyd.se?subject=Önskemål om en aktivitet"


# --- with an inbox -------------------------------------------------------------------------------------------------


class _Inbox(SimpleHTTPRequestHandler):
    """Serves the built site and takes the form's POST to /inbox (a stand-in for a form service)."""

    received: list[bytes]

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.received.append(self.rfile.read(length))
        body = "<!DOCTYPE html><html lang=sv><title>Tack</title><p>Tack för ditt önskemål!</p>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The minimal fixture built with `needs_inbox` pointing at a local server that records the POSTs."""
    work = tmp_path_factory.mktemp("inbox")
    received: list[bytes] = []
    handler = type("Inbox", (_Inbox,), {"received": received})
    output = work / "output"
    output.mkdir()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(output)))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    content = work / "content"
    shutil.copytree(ROOT / "tests/fixtures/minimal", content)
    site = content / "site.yml"
    site.write_text(site.read_text(encoding="utf-8") + f"needs_inbox:\n  action: {base}inbox\n", encoding="utf-8")
    built = subprocess.run(
        [sys.executable, "-c", "from kkssite.cli import main; raise SystemExit(main())", "build", "--content",
         str(content), "--output", str(output), "--now", NOW],
        cwd=work, capture_output=True, text=True, timeout=300, check=False)
    assert built.returncode == 0, built.stderr
    try:
        yield base, received, work
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_with_an_inbox_the_form_posts_without_javascript(new_page, inbox):
    base, received, _work = inbox
    received.clear()
    tab = new_page(375)
    tab.route("**/*.js", lambda route: route.abort())
    load(tab, base + WISH)
    form = main(tab)
    expect(tab.locator("#onska")).to_be_visible()
    form.get_by_role("button", name="Skicka önskemålet").click()  # the browser's own check: a title is required
    assert tab.locator("#onska-title").evaluate("e => e.validity.valueMissing")
    assert received == [] and urlsplit(tab.url).path == "/" + WISH
    form.get_by_label("Med några ord").fill("Ljusbord för turné")
    form.get_by_role("checkbox", name="Ljustekniker", exact=True).check()
    form.get_by_label("Ort eller region").select_option("ort:karlskrona")
    form.get_by_role("button", name="Skicka önskemålet").click()
    tab.wait_for_url(re.compile(r"/inbox$"))
    assert urlsplit(tab.url).path == "/inbox" and "Tack för ditt önskemål!" in tab.content()
    [posted] = [parse_qs(body.decode(), keep_blank_values=True) for body in received]
    assert posted["title"] == ["Ljusbord för turné"] and posted["professions"] == ["ljustekniker"]
    assert posted["where"] == ["ort:karlskrona"] and posted["sender"] == ["individual"]
    assert posted["front_matter"] == [""]  # the script writes it; without the script, the fields are the answer


def test_with_an_inbox_and_the_script_the_post_carries_the_block(new_page, inbox, tmp_path):
    base, received, work = inbox
    received.clear()
    tab = new_page(1280)
    load(tab, base + WISH + "?yrke=ljudtekniker&konstform=dans")
    form = main(tab)
    form.get_by_role("button", name="Skicka önskemålet").click()
    expect(tab.locator("#onska-fel")).to_be_focused()
    assert received == []
    form.get_by_label("Med några ord").fill("Ljud för dansföreställningar")
    form.get_by_role("button", name="Skicka önskemålet").click()
    tab.wait_for_url(re.compile(r"/inbox$"))
    [posted] = [parse_qs(body.decode(), keep_blank_values=True) for body in received]
    block = posted["front_matter"][0]  # a form's text is sent with CRLF line ends; it is pasted as it comes
    assert block.startswith('---\r\ntitle: "Ljud för dansföreställningar"\r\n'), block
    assert "professions: [ljudtekniker]" in block and "art_forms: [dans]" in block
    content = tmp_path / "content"
    shutil.copytree(work / "content", content)
    (content / "needs/ljud-for-dansforestallningar.md").write_bytes(block.encode("utf-8"))
    catalog, problems = check(BuildOptions(content=content, now=parse_now(NOW)))
    assert catalog is not None and not list(problems), [str(p) for p in problems]


# --- the needs listing ------------------------------------------------------------------------------------------


def test_the_needs_filter_narrows_the_needs(page, goto):
    goto("behov/")
    listing = main(page)
    toggle = listing.get_by_role("button", name=re.compile("filtret", re.I), expanded=False)
    select = listing.get_by_role("combobox", name="Yrke")
    if not select.is_visible():
        toggle.click()
    status = listing.get_by_role("status")
    everything = int(re.search(r"\d+", status.inner_text()).group())
    select.select_option("yrke:ljustekniker")
    page.wait_for_url(re.compile(r"\?yrke=ljustekniker$"))
    expect(status).to_have_text(re.compile(r"^\d+ behov matchar filtret: Ljustekniker\."))
    found = int(re.search(r"\d+", status.inner_text()).group())
    assert 0 < found < everything
    cards = page.locator("#filter-results article")
    expect(cards).to_have_count(found)
    assert all("/behov/" in href for href in cards.locator("h2 a").evaluate_all("as => as.map(a => a.href)"))
    listing.get_by_role("combobox", name="Status").select_option("status:besvarat")
    page.wait_for_url(re.compile(r"status=besvarat"))
    assert all(b == "Besvarat" for b in page.locator("#filter-results .badge").all_inner_texts())
    screenshot(page, "needs-filter")

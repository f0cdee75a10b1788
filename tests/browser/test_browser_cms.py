"""The web editor end to end, as an editor uses it: Decap CMS at /admin/ of a build of the sample content with
`cms:`, against Decap's local backend (decap-server from npm, in git mode, on 127.0.0.1) over a git repository
of that content. In Chromium: log in, create an activity in the form (with an image uploaded to the media library), edit the date and the status of a sample
activity (and clear its level) and the status of another, take each through the editorial workflow (draft → ready → publish), and
then `kkssite check` and a build of what the branch main holds accept the files and show the changes.

Also: the vendored bundle is byte for byte the npm package's (tests/browser/.npm/decap-cms/, installed by
scripts/test-deps.sh at the pinned version), and the editor makes no request off this machine.
Screenshots: tests/screenshots/admin-*.png.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tarfile
import threading
import time
import urllib.request
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest

from kkssite import cms
from kkssite.fields import SLUG_RE

from .conftest import EXPECT_MS, NOW, NPM, ROOT, SCREENSHOTS, require_command, require_file

DECAP_SERVER = NPM / "decap-server" / "dist" / "index.js"
DECAP_PACKAGE = NPM.parent / "decap-cms"
NEW_TITLE = "Övning för ljus & scen: grund"
NEW_SLUG = "ovning-for-ljus-scen-grund"
EDITED = "natverkstraff-tekniker-skane-2027"  # start 2027-03-17 16:00, end "20:00"
CANCELLED = "studieresa-edinburgh-2027"  # a whole-day trip: start and end are dates, all_day: true


def _activities(summary: str) -> int:
    """The number of activities in `kkssite check`'s summary line."""
    found = re.search(r"aktiviteter (\d+),", summary)
    assert found, summary
    return int(found[1])


def _png(target: Path) -> Path:
    """A one-pixel PNG image, as an editor's photo would be uploaded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    target.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
                       + chunk(b"IDAT", zlib.compress(b"\x00\xff\xcc\x00")) + chunk(b"IEND", b""))
    return target


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(*cmd: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}", pytrace=False)
    return result


def kkssite(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    return _run(sys.executable, "-c", "from kkssite.cli import main; raise SystemExit(main())", *args, cwd=cwd,
                check=check)


class _Handler(SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {**SimpleHTTPRequestHandler.extensions_map, ".yml": "text/yaml"}

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Editor:
    """The repository the editor writes to, the built site serving /admin/, and the address of the editor."""

    repo: Path
    work: Path
    admin: str

    def main_tree(self, name: str) -> Path:
        """What the branch main holds, exported into a fresh folder (decap-server switches branches in the
        repository's own working tree while it works, so that is never read)."""
        target = self.work / name
        archive = subprocess.run(["git", "archive", "main", "content"], cwd=self.repo, capture_output=True,
                                 check=True, timeout=60).stdout
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(target, filter="data")
        return target

    def show(self, path: str) -> str:
        return _run("git", "show", f"main:{path}", cwd=self.repo).stdout


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editor]:
    """content/ with `cms:` (GitHub backend, local backend on a free port) as a git repository; decap-server in
    git mode over it; the site built with `kkssite build` and served on 127.0.0.1."""
    node = require_command("node", "Node.js (Debian package `nodejs`, installed with `npm`)")
    git = require_command("git", "git")
    require_file(DECAP_SERVER, "decap-server (npm package, vendored into tests/browser/.npm/)")
    work = tmp_path_factory.mktemp("web-editor")
    repo = work / "repo"
    shutil.copytree(ROOT / "content", repo / "content")
    shutil.copy(ROOT / ".gitignore", repo / ".gitignore")
    port = _free_port()
    with (repo / "content" / "site.yml").open("a", encoding="utf-8") as site:
        site.write(f"cms:\n  backend: github\n  repo: kulturkraftsyd/kkssite\n  branch: main\n"
                   f"  local_backend: http://127.0.0.1:{port}/api/v1\n")
    for cmd in (("init", "-q", "-b", "main"), ("config", "user.name", "Redaktör"),
                ("config", "user.email", "redaktor@example.org"), ("add", "."), ("commit", "-q", "-m", "Innehåll")):
        _run(git, *cmd, cwd=repo)
    output = work / "output"
    kkssite("build", "--content", str(repo / "content"), "--output", str(output), "--now", NOW, cwd=work)

    env = {**os.environ, "BIND_HOST": "127.0.0.1", "PORT": str(port), "MODE": "git", "GIT_REPO_DIRECTORY": str(repo),
           "LOG_LEVEL": "error"}
    server = subprocess.Popen([node, str(DECAP_SERVER)], cwd=repo, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, start_new_session=True)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(output)))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, name="admin-server", daemon=True)
    thread.start()
    try:
        api = f"http://127.0.0.1:{port}/api/v1"
        deadline = time.monotonic() + EXPECT_MS / 1000
        while True:  # until decap-server answers (or has died)
            try:
                request = urllib.request.Request(api, data=b'{"action":"info","params":{}}',
                                                 headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(request, timeout=2) as answer:
                    assert b"local_git" in answer.read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log = server.stdout.read().decode() if server.stdout else ""
                    pytest.fail(f"decap-server did not start on {api}:\n{log}", pytrace=False)
                time.sleep(0.1)
        yield Editor(repo, work, f"http://127.0.0.1:{httpd.server_address[1]}/admin/")
    finally:
        httpd.shutdown()
        httpd.server_close()
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        if server.stdout:
            server.stdout.close()


@pytest.fixture(scope="module")
def tab(browser_context, editor: Editor) -> Iterator[object]:
    """One tab, logged in to the editor (the local backend needs no password); records requests off this
    machine and script errors."""
    page = browser_context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.external = []
    page.errors = []
    page.on("request", lambda r: page.external.append(r.url)
            if urlsplit(r.url).hostname not in (None, "127.0.0.1") and r.url.startswith("http") else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())  # "Publish now" asks for confirmation
    page.goto(editor.admin + "#/collections/activities")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("link", name=re.compile(r"\bAktivitet$")).wait_for()
    yield page
    page.close()


def choose(tab, label: str, *names: str) -> None:  # type: ignore[no-untyped-def]
    """Pick options of a select by their Swedish names (several for a multiple select)."""
    box = tab.get_by_label(re.compile(f"^{label}"))
    for name in names:
        box.fill(name)
        tab.get_by_role("option", name=name, exact=True).click()


def publish(tab, slug: str) -> None:  # type: ignore[no-untyped-def]
    """Save the entry, then draft → ready → publish, as the editorial workflow has it."""
    tab.get_by_role("button", name="Spara", exact=True).click()
    tab.wait_for_url(f"**/entries/{slug}")
    tab.get_by_role("button", name=re.compile("^Status: Utkast")).click()
    tab.get_by_role("menuitem", name="Redo").click()
    tab.get_by_role("button", name=re.compile("^Status: Redo")).wait_for()
    tab.get_by_role("button", name="Publicera", exact=True).click()
    tab.get_by_role("menuitem", name="Publicera nu").click()
    tab.get_by_role("button", name="Publicerad", exact=True).wait_for()


def open_entry(tab, editor: Editor, slug: str) -> None:  # type: ignore[no-untyped-def]
    """Through the collection's list, as an editor would (and as Decap expects between two entries)."""
    tab.goto(editor.admin + "#/collections/activities")
    tab.get_by_role("link", name=re.compile(r"\bAktivitet$")).wait_for()
    tab.goto(editor.admin + f"#/collections/activities/entries/{slug}")
    tab.get_by_label("Titel", exact=True).wait_for()


def shoot(tab, name: str) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"admin-{name}-1280px.png"), full_page=True)


def test_the_vendored_bundle_is_the_npm_package(editor: Editor) -> None:
    published = require_file(DECAP_PACKAGE / cms.BUNDLE, f"decap-cms {cms.DECAP_VERSION} (npm pack, into "
                                                         "tests/browser/.npm/decap-cms/)")
    assert (cms.VENDOR / cms.BUNDLE).read_bytes() == published.read_bytes()
    assert (cms.VENDOR / cms.LICENSE).read_bytes() == (DECAP_PACKAGE / cms.LICENSE).read_bytes()


def test_an_activity_made_and_two_edited_in_the_editor_build_into_the_site(tab, editor: Editor) -> None:
    # --- a new activity, in the form ---------------------------------------------------------------------------
    tab.goto(editor.admin + "#/collections/activities/new")
    tab.get_by_label("Titel", exact=True).fill(NEW_TITLE)
    choose(tab, "Typ", "Workshop")
    choose(tab, "Yrken", "Ljustekniker", "Tekniska yrken")
    choose(tab, "Konstformer", "Teater")
    choose(tab, "Ort", "Malmö")
    shoot(tab, "new")
    tab.get_by_label(re.compile("^Start")).first.fill("2027-02-03T09:00")
    tab.get_by_label(re.compile("^Slut")).first.fill("2027-02-03T16:00")
    tab.get_by_label(re.compile("^Sammanfattning")).fill("En dag om ljus och scen: teori och praktik.")
    tab.get_by_role("button", name="Välj en bild").click()  # the media library: upload, then choose it
    tab.locator('input[type="file"]').set_input_files(str(_png(editor.work / "scenljus.png")))
    tab.get_by_role("button", name="Välj markerad").click()
    tab.get_by_label(re.compile("^Alt-text")).fill("Strålkastare över en tom scen")
    tab.get_by_role("button", name="Add kursledare").click()
    tab.get_by_label(re.compile("^Namn")).first.fill("Malin Ekdahl")
    tab.locator('[data-slate-editor="true"]').last.click()
    tab.keyboard.type("Grundkurs i **ljus** för scen.")
    shoot(tab, "new-text")
    publish(tab, NEW_SLUG)
    shoot(tab, "published")

    # --- a sample activity: a new date and time, and fully booked ------------------------------------------
    open_entry(tab, editor, EDITED)
    tab.get_by_label(re.compile("^Start")).first.fill("2027-03-24T16:00")
    choose(tab, "Status", "Fullbokad")
    level = tab.get_by_label(re.compile("^Nivå"))  # cleared: Decap writes `level: null`
    level.click()
    level.press("Backspace")
    level.press("Escape")
    shoot(tab, "edit")
    publish(tab, EDITED)

    # --- another: cancelled (its whole-day dates and all_day are not in the form and stay as they were) ----
    open_entry(tab, editor, CANCELLED)
    choose(tab, "Status", "Inställd")
    tab.get_by_label(re.compile("^Om statusen")).fill("Resan är inställd.")
    publish(tab, CANCELLED)

    assert not tab.errors, f"script errors in the editor: {tab.errors}"
    assert not tab.external, f"the editor made requests off this machine: {tab.external}"

    # --- what the editor wrote to main ------------------------------------------------------------------------
    assert SLUG_RE.match(NEW_SLUG)
    new = editor.show(f"content/activities/{NEW_SLUG}.md")
    assert f'title: "{NEW_TITLE}"' in new and "start: 2027-02-03 09:00\n" in new and "end: 2027-02-03 16:00\n" in new
    assert re.search(r"^uid: [0-9a-f-]{36}@kulturkraftsyd\.se$", new, re.MULTILINE)  # given on the first save
    assert re.search(r"^published: \d{4}-\d{2}-\d{2}$", new, re.MULTILINE)  # today, as kkssite new writes
    assert "Grundkurs i **ljus** för scen." in new  # Markdown, not escaped
    assert "image: images/scenljus.png\n" in new and "image_alt: Strålkastare över en tom scen\n" in new
    edited = editor.show(f"content/activities/{EDITED}.md")
    assert "start: 2027-03-24 16:00\n" in edited and "status: full\n" in edited
    assert "uid: kks-2027-natverkstraff-tekniker@kulturkraftsyd.se\n" in edited  # hidden in the form, kept
    assert re.search(r'^end: "?20:00"?$', edited, re.MULTILINE)  # a time alone: not shown by the widget, kept
    assert "level: alla-nivaer" not in edited  # cleared (null, or left out)
    cancelled = editor.show(f"content/activities/{CANCELLED}.md")
    assert "status: cancelled\n" in cancelled
    assert "start: 2027-08-09\n" in cancelled and "end: 2027-08-13\n" in cancelled and "all_day: true\n" in cancelled

    # --- kkssite check and a build accept it, and the site shows it ---------------------------------------
    tree = editor.main_tree("main")
    checked = kkssite("check", "--content", str(tree / "content"), "--now", NOW, cwd=tree, check=False)
    assert checked.returncode == 0, checked.stderr
    sample = kkssite("check", "--content", str(ROOT / "content"), "--now", NOW, cwd=editor.work).stdout
    assert f"aktiviteter {_activities(sample) + 1}," in checked.stdout  # the sample's and the new one
    out = editor.work / "built"
    kkssite("build", "--content", str(tree / "content"), "--output", str(out), "--now", NOW, cwd=tree)
    page = (out / "aktiviteter" / NEW_SLUG / "index.html").read_text(encoding="utf-8")
    assert "Övning för ljus &amp; scen: grund" in page and "Malin Ekdahl" in page and "<strong>ljus</strong>" in page
    assert 'alt="Strålkastare över en tom scen"' in page
    # the upload is the content's file, and the site publishes it in its resized sizes (photos.py), which the page shows
    assert (tree / "content" / "images" / "scenljus.png").read_bytes() == _png(editor.work / "again.png").read_bytes()
    sizes = sorted(p.name for p in (out / "images").glob("scenljus-*"))
    assert {name.rsplit(".", 1)[1] for name in sizes} == {"png", "webp"}, sizes
    assert all(f"images/{name}" in page for name in sizes), sizes
    page = (out / "aktiviteter" / EDITED / "index.html").read_text(encoding="utf-8")
    assert "24 mars 2027" in page and "Fullbokad" in page and "17 mars 2027" not in page
    page = (out / "aktiviteter" / CANCELLED / "index.html").read_text(encoding="utf-8")
    assert "Inställd" in page and "Resan är inställd." in page


def test_the_editor_page_is_valid_html(editor: Editor, vnu: list[str]) -> None:
    page = editor.work / "output" / "admin" / "index.html"
    result = subprocess.run([*vnu, "--errors-only", "--format", "json", str(page)], capture_output=True, text=True,
                            timeout=300, check=False)
    output = result.stderr.strip() or result.stdout.strip()
    messages = json.loads(output)["messages"]
    assert [m for m in messages if m.get("type") != "info"] == [], output

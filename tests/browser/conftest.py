"""Browser tests: the sample site (content/) built once, served on 127.0.0.1, driven by Playwright in Debian's chromium.

`make test` installs the tools first (scripts/test-deps.sh): /usr/bin/chromium, Java, and the pinned npm packages
axe-core and vnu-jar in tests/browser/.npm/. A missing tool makes every test that needs it fail with a message that
names it; nothing here is ever skipped.

The site is served twice by one server: at `/` and, unchanged, under the sub-path SUBPATH, since every internal link
is relative and the site must work under any base path without rebuilding. Pages come at two widths (375 and
1280 px); screenshots go to tests/screenshots/ (git-ignored).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
NPM = ROOT / "tests" / "browser" / ".npm" / "node_modules"
AXE_JS = NPM / "axe-core" / "axe.min.js"
VNU_JAR = NPM / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = Path(os.environ.get("KKS_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "tests" / "screenshots"
NOW = "2026-11-27T12:00"
SUBPATH = "/foreningen/kalender/"
WIDTHS = {375: 812, 1280: 900}
#: How long a browser step may wait for its condition (Playwright's auto-waiting and `expect`): room for a 2-core
#: machine with the other core busy. Passing steps never wait this long; only a failing one does.
EXPECT_MS = 30_000
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SETUP_HINT = "`make test` installs it (scripts/test-deps.sh, as root with apt-get and npm)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every browser test is slow: the inner loop `pytest -m "not slow"` leaves them to `make test`."""
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.slow)


def require_file(path: Path, tool: str) -> Path:
    if not path.is_file():
        pytest.fail(f"{tool} is missing: no {path}; {SETUP_HINT}", pytrace=False)
    return path


def require_command(name: str, tool: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{tool} is missing: no `{name}` on PATH; {SETUP_HINT}", pytrace=False)
    return found


# --- the built site and the server -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """content/ built once with `kkssite build --now 2026-11-27T12:00` (cache and output in a temp folder)."""
    work = tmp_path_factory.mktemp("browser-site")
    output = work / "output"
    cmd = [sys.executable, "-c", "from kkssite.cli import main; raise SystemExit(main())", "build",
           "--content", str(ROOT / "content"), "--output", str(output), "--now", NOW]
    result = subprocess.run(cmd, cwd=work, capture_output=True, text=True, timeout=300, check=False)
    if result.returncode != 0:
        pytest.fail(f"kkssite build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}", pytrace=False)
    return output


def host_headers(site: Path) -> list[tuple[re.Pattern[str], list[tuple[str, str]]]]:
    """The rules of the build's _headers file, as Netlify and Cloudflare Pages read them: a path (`*` matching
    anything) and its indented `Name: value` lines."""
    rules: ClassVar[list[tuple[re.Pattern[str], list[tuple[str, str]]]]] = []
    file = site / "_headers"
    for line in (file.read_text(encoding="utf-8").splitlines() if file.is_file() else []):
        if line.startswith("/"):
            rules.append((re.compile("".join(".*" if c == "*" else re.escape(c) for c in line.strip()) + "$"), []))
        elif line.startswith((" ", "\t")) and ":" in line and rules:
            name, value = line.strip().split(":", 1)
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


class _Handler(SimpleHTTPRequestHandler):
    """A static host: the site at / and again under SUBPATH; quiet; no caching surprises; the headers of the
    build's _headers file (CORS for the embeds' JSON), as Netlify would send them (its media types are Python's)."""

    rules: ClassVar[list[tuple[re.Pattern[str], list[tuple[str, str]]]]] = []

    def translate_path(self, path: str) -> str:
        if path.startswith(SUBPATH):
            path = "/" + path[len(SUBPATH):]
        return super().translate_path(path)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        path = urlsplit(self.path).path
        if path.startswith(SUBPATH):
            path = "/" + path[len(SUBPATH):]
        for pattern, headers in self.rules:
            if pattern.match(path):
                for name, value in headers:
                    if name.lower() not in ("content-type", "cache-control"):
                        self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def server(site_dir: Path) -> Iterator[str]:
    """The built site on http://127.0.0.1:<random port>/; yields the root URL (with a trailing slash)."""
    handler = type("SiteHandler", (_Handler,), {"rules": host_headers(site_dir)})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site_dir)))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


# --- the browser ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="package")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """One headless chromium (Debian's, never a downloaded one) with a throwaway profile.

    Package scope, not session: Playwright's sync API keeps an asyncio loop running in this thread while it is
    started, and the other tests' asyncio.run() must not meet it, so it stops when the browser tests are done.
    """
    require_file(CHROMIUM, "chromium (Debian package `chromium`)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        pytest.fail(f"playwright (the Python package) is missing: {error}; `pip install -e '.[test]'`", pytrace=False)
    playwright = sync_playwright().start()
    try:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1280, "height": 900},
            locale="sv-SE",
            timezone_id="Europe/Stockholm",
            reduced_motion="reduce",
            service_workers="block",
            bypass_csp=True,  # axe-core is injected by the tests; a Content-Security-Policy must not stop it
        )
    except Exception as error:
        playwright.stop()
        pytest.fail(f"chromium ({CHROMIUM}) did not start under Playwright: {error}", pytrace=False)
    context.set_default_timeout(EXPECT_MS)
    context.set_default_navigation_timeout(EXPECT_MS)
    try:
        yield context
    finally:
        context.close()
        playwright.stop()


@dataclass
class Visit:
    """What one page did besides rendering: JavaScript errors, console errors and requests off this machine."""

    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@pytest.fixture(params=sorted(WIDTHS), ids=lambda w: f"{w}px")
def width(request: pytest.FixtureRequest) -> int:
    return request.param


@pytest.fixture
def new_page(browser_context, server: str) -> Iterator[Callable[[int], object]]:
    """new_page(width) → a fresh tab `width` px wide; `tab.visit` records errors and external requests."""
    local = urlsplit(server).netloc
    tabs = []

    def make(width: int = 1280, height: int | None = None):
        tab = browser_context.new_page()
        tab.set_viewport_size({"width": width, "height": height or WIDTHS.get(width, 900)})
        visit = Visit()

        def on_request(request) -> None:
            parts = urlsplit(request.url)
            if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != local:
                visit.external.append(request.url)

        def on_response(response) -> None:
            if response.status >= 400:
                visit.failed.append(f"{response.status} {response.url}")

        tab.on("pageerror", lambda error: visit.errors.append(str(error)))
        def on_console(message) -> None:
            # the browser's own request for /favicon.ico is not the site's
            if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
                visit.console.append(f"{message.text} ({message.location.get('url', '')})")

        tab.on("console", on_console)
        tab.on("request", on_request)
        tab.on("response", on_response)
        tab.visit = visit
        tabs.append(tab)
        return tab

    yield make
    for tab in tabs:
        tab.close()


@pytest.fixture
def page(new_page, width: int):
    """A fresh tab at `width` (the test runs at 375 and at 1280 px)."""
    return new_page(width)


@pytest.fixture
def url(server: str) -> Callable[[str], str]:
    """url('kalender/2026/11/') → the served address; url('…', sub=True) → the same under SUBPATH."""

    def make(path: str = "", sub: bool = False) -> str:
        return server.rstrip("/") + (SUBPATH if sub else "/") + path.lstrip("/")

    return make


def load(tab, address: str, wait: str = "load"):
    """Open an address in a tab and fail with a clear message unless it answers 200."""
    response = tab.goto(address, wait_until=wait)
    if response is None or response.status != 200:
        pytest.fail(f"{address} answered {response and response.status}, expected 200", pytrace=False)
    return response


@pytest.fixture
def goto(page, url) -> Callable[..., object]:
    """goto('kalender/2026/11/') opens that site path in `page` (sub=True: under SUBPATH); 200 or fail."""

    def open_(path: str = "", sub: bool = False, wait: str = "load"):
        return load(page, url(path, sub), wait)

    return open_


def screenshot(page, name: str) -> Path:
    """Save tests/screenshots/<name>-<width>px.png (the full page) and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}-{page.viewport_size['width']}px.png"
    page.screenshot(path=str(target), full_page=True)
    return target


# --- the tools from npm --------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def axe_js() -> Path:
    return require_file(AXE_JS, "axe-core (npm package, vendored into tests/browser/.npm/)")


@pytest.fixture(scope="session")
def vnu() -> list[str]:
    """The command line of the Nu Html Checker: java -jar vnu.jar."""
    java = require_command("java", "Java (Debian package `default-jre-headless`, for the Nu Html Checker)")
    jar = require_file(VNU_JAR, "vnu-jar (npm package, vendored into tests/browser/.npm/)")
    return [java, "-Xss4m", "-XX:TieredStopAtLevel=1", "-jar", str(jar)]  # C1 only: twice as fast for one run

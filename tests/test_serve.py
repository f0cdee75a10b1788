"""serve: a real `kkssite serve` process driven over HTTP and the livereload websocket: a save rebuilds and
reloads, broken front matter shows an error overlay over the last good site, fixing it recovers, and the server
stops promptly on SIGINT and SIGTERM with a browser connected, on a busy machine, and during a rebuild.

Every wait here is for a condition (a line in the server's output, an answer on the port, a websocket message,
the process's exit), with room for a slow machine; every socket and websocket the tests open is closed.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import weakref
from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from support import FIXTURES
from tornado.websocket import WebSocketClientConnection, websocket_connect

from kkssite import serve as serve_module
from kkssite.config import BuildOptions, parse_now

NOW = "2026-11-27T12:00"
#: Generous: a loaded 2-core machine (the stress run keeps one core busy) may take a while to build or to exit.
START_SECONDS = 60
EXIT_SECONDS = 20
MESSAGE_SECONDS = 30
READY = "Förhandsvisning på"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=MESSAGE_SECONDS) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode("utf-8")


def wait_until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    """Poll `condition` until it holds; fail with `what` when it does not within `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds} s waiting for {what}")
        time.sleep(0.02)


@dataclass
class Server:
    base: str
    port: int
    content: Path
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self, signum: int = signal.SIGINT) -> tuple[int, str]:
        """Send a signal and wait for the process to end; its exit code and everything it printed."""
        self.process.send_signal(signum)
        try:
            code = self.process.wait(timeout=EXIT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"kkssite serve still running {EXIT_SECONDS} s after signal {signum}:\n{self.output()}")
        return code, self.output()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    shutil.copytree(FIXTURES / "minimal", tmp_path / "content")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:  # a file, not a pipe: a pipe nobody reads can fill and block the server
        process = subprocess.Popen([sys.executable, "-m", "kkssite", "serve", "--port", str(port), "--now", NOW],
                                   cwd=tmp_path, stdout=sink, stderr=subprocess.STDOUT)
    running = Server(f"http://127.0.0.1:{port}/", port, tmp_path / "content", process, log)
    try:
        wait_until(lambda: READY in running.output() or process.poll() is not None, START_SECONDS,
                   "kkssite serve to build and listen")
        if process.poll() is not None:
            pytest.fail(f"kkssite serve stopped ({process.returncode}):\n{running.output()}")
        yield running
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


@asynccontextmanager
async def livereload_client(port: int) -> Any:
    """A websocket client that speaks the livereload protocol as livereload.js does, registered as a page."""
    ws: WebSocketClientConnection = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    try:
        hello = json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]})
        await ws.write_message(hello)
        assert json.loads(await read(ws))["command"] == "hello"
        await ws.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/"}))
        # The server answers messages of one connection in order: its answer to a second hello means it has
        # registered the page (the info message) for the next reload.
        await ws.write_message(hello)
        assert json.loads(await read(ws))["command"] == "hello"
        yield ws
    finally:
        ws.close()
        with suppress(TimeoutError):  # resolves to None once the close handshake (or the server's exit) ends it
            await asyncio.wait_for(ws.read_message(), timeout=MESSAGE_SECONDS)
        stream = getattr(ws.protocol, "stream", None)  # a server killed mid-handshake may leave it open
        if stream is not None and not stream.closed():
            stream.close()


async def read(ws: WebSocketClientConnection) -> str:
    message = await asyncio.wait_for(ws.read_message(), timeout=MESSAGE_SECONDS)
    assert message is not None, "the server closed the websocket"
    return message if isinstance(message, str) else message.decode("utf-8")


async def reload_after(ws: WebSocketClientConnection, change: Callable[[], object]) -> None:
    """Make the change and wait for the server's `reload` message."""
    change()
    while json.loads(await read(ws))["command"] != "reload":
        pass


@contextmanager
def busy_core() -> Iterator[None]:
    """Keep one core busy (a process spinning) while the block runs, as a loaded laptop or CI machine would."""
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        burner.kill()
        burner.wait()


def test_serves_drafts_404_and_injects_live_reload(server: Server) -> None:
    status, page = get(server.base + "aktiviteter/utkast/")
    assert status == 200 and "UTKAST" in page and "livereload.js" in page
    status, page = get(server.base + "finns-inte/")
    assert status == 404 and "Sidan finns inte" in page
    assert get(server.base + "aktiviteter")[0] == 200  # redirected to the folder


def saving(file: Path, text: str) -> Callable[[], None]:
    """Save as most editors do: the whole new text under a hidden name, then renamed over the file (one change;
    a write in place may be seen half done, as a truncated file, and so rebuilt twice: the second rebuild's
    reload would then answer the test's next change)."""
    def save() -> None:
        partial = file.with_name(f".{file.name}.tmp")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, file)
    return save


def test_save_rebuilds_and_reloads_error_overlay_and_recovery(server: Server) -> None:
    file = server.content / "activities" / "dans-och-ljud.md"
    original = file.read_text(encoding="utf-8")

    async def session() -> None:
        async with livereload_client(server.port) as ws:
            await reload_after(ws, saving(file, original.replace("Dans och ljud", "Dans, ljud och ljus")))
            assert "Dans, ljud och ljus" in get(server.base + "aktiviteter/dans-och-ljud/")[1]

            await reload_after(ws, saving(file, original.replace("start: 2027-01-12 10:00", "start: 12 januari")))
            page = get(server.base + "aktiviteter/dans-och-ljud/")[1]
            assert 'id="kkssite-fel"' in page
            assert ("content/activities/dans-och-ljud.md:9: start: förväntade datum och tid som 2027-03-14 18:00, "
                    "fick &#x27;12 januari&#x27;") in page
            assert "Dans, ljud och ljus" in page  # the last good site is still served under the overlay

            await reload_after(ws, saving(file, original))
            page = get(server.base + "aktiviteter/dans-och-ljud/")[1]
            assert 'id="kkssite-fel"' not in page and "Dans och ljud" in page

    asyncio.run(session())
    code, output = server.stop()
    assert code == 0
    assert "dans-och-ljud.md:9: start:" in output and "Traceback" not in output
    assert "Förhandsvisningen avslutad." in output


def test_a_link_made_while_serving_is_reported_and_not_published(server: Server, tmp_path: Path) -> None:
    """A link to a file outside content/, made while serve runs and used by an activity, is an error in the
    terminal and the overlay, and its target never reaches the preview."""
    marker = "MARKÖR-serve-utanför-content"
    secret = tmp_path / "secret.txt"
    secret.write_text(marker, encoding="utf-8")
    (server.content / "images").mkdir()
    link = server.content / "images" / "x.jpg"
    file = server.content / "activities" / "dans-och-ljud.md"
    original = file.read_text(encoding="utf-8")
    line = f"content/images/x.jpg: filen är en länk till {secret}, utanför content/"

    async def session() -> None:
        async with livereload_client(server.port) as ws:
            await reload_after(ws, saving(file, original.replace(
                "---\n", "---\nimage: images/x.jpg\nimage_alt: En bild\n", 1)))
            await reload_after(ws, lambda: link.symlink_to(secret))
            # (the folder made before the session may be seen late, its rebuild's reload answering one of the
            # changes above: wait for the rebuild that has seen the link)
            wait_until(lambda: line in get(server.base + "aktiviteter/dans-och-ljud/")[1], MESSAGE_SECONDS,
                       "the link's error in the overlay")
            assert 'id="kkssite-fel"' in get(server.base + "aktiviteter/dans-och-ljud/")[1]

            await reload_after(ws, lambda: (saving(file, original)(), link.unlink()))
            # the two changes may take two rebuilds: wait for the one that has seen both
            wait_until(lambda: 'id="kkssite-fel"' not in get(server.base + "aktiviteter/dans-och-ljud/")[1],
                       MESSAGE_SECONDS, "the overlay to clear")

    asyncio.run(session())
    preview = tmp_path / ".kkssite-preview"
    assert [p for p in preview.rglob("*") if p.is_file() and marker.encode() in p.read_bytes()] == []
    assert not (preview / "images").exists()
    code, output = server.stop()
    assert code == 0 and line in output and "Traceback" not in output


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_stops_with_a_connected_browser_on_a_busy_machine(server: Server, signum: int) -> None:
    """The signal comes right after a reload, while the server may still be inside livereload's websocket write
    (whose bare `except:` once swallowed the KeyboardInterrupt and kept the server running)."""
    file = server.content / "activities" / "dans-och-ljud.md"
    original = file.read_text(encoding="utf-8")
    result: dict[str, Any] = {}

    async def session() -> None:
        async with livereload_client(server.port) as ws:
            for round_ in range(3):
                text = original.replace("Dans och ljud", f"Dans och ljud {round_}")
                await reload_after(ws, lambda text=text: file.write_text(text, encoding="utf-8"))
            result["stopped"] = server.stop(signum)

    with busy_core():
        asyncio.run(session())
    code, output = result["stopped"]
    assert code == 0, output
    assert "Förhandsvisningen avslutad." in output and "Traceback" not in output and "Error" not in output
    with socket.socket() as sock:  # the port is free again
        sock.bind(("127.0.0.1", server.port))


def test_a_port_in_use_is_a_clear_error_before_any_build(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "minimal", tmp_path / "content")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "kkssite", "serve", "--port", str(port), "--now", NOW],
                                cwd=tmp_path, capture_output=True, text=True, timeout=START_SECONDS, check=False)
    assert result.returncode == 2
    assert f"kkssite: porten {port} på 127.0.0.1 används redan" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / ".kkssite-preview").exists()


# --- the shutdown mechanism itself, in this process ----------------------------------------------------------


@pytest.fixture
def preview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> serve_module.Preview:
    shutil.copytree(FIXTURES / "minimal", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    options = BuildOptions(content=tmp_path / "content", output=tmp_path / "preview", cache=None)
    return serve_module.Preview(options, log=lambda line: None)


def test_a_signal_during_a_rebuild_aborts_it_and_stops_the_loop(preview: serve_module.Preview,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    interrupted = threading.Event()

    def slow_build(*args: object, **kwargs: object) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C arrives while the build runs…
        interrupted.wait(MESSAGE_SECONDS)  # …which the handler interrupts with KeyboardInterrupt
        pytest.fail("the signal did not interrupt the rebuild")

    monkeypatch.setattr(serve_module, "build", slow_build)
    loop = asyncio.new_event_loop()
    before = signal.getsignal(signal.SIGINT)
    try:
        with serve_module._Shutdown(preview, loop):
            with pytest.raises(KeyboardInterrupt):
                preview.rebuild()
            assert preview.stopping and not preview.rebuilding
            with pytest.raises(KeyboardInterrupt):  # no further rebuild starts once stopping
                preview.rebuild()
            loop.run_forever()  # returns: the handler asked the loop to stop
        assert signal.getsignal(signal.SIGINT) is before  # handlers restored
    finally:
        loop.close()
    assert not (preview.options.output).exists()  # nothing was published


def test_what_the_preview_holds_is_frozen_between_saves(preview: serve_module.Preview) -> None:
    """Between saves the collector leaves the preview's site alone (a pause of a second at 10,000 activities);
    a full build collects the garbage before it freezes, and a patch keeps what is held frozen."""
    # (a fixed `now`: a build in a later second than the last has a new input, and so something to do)
    preview.options = dataclasses.replace(preview.options, now=parse_now("2027-01-15T12:00"))
    collecting = gc.isenabled()
    gc.disable()  # (so that only the preview collects)
    try:
        ring = _Ring()  # garbage only the cyclic collector frees
        gone = weakref.ref(ring)
        del ring
        result = preview.rebuild()
        assert result is not None and not result.patched
        assert gone() is None  # collected by the full build, before the freeze
        frozen = gc.get_freeze_count()
        assert frozen > 10_000
        page = preview.options.content / "activities" / "dans-och-ljud.md"
        page.write_text(page.read_text(encoding="utf-8").replace("\n\n", "\n\nEn ny mening.\n\n", 1),
                        encoding="utf-8")
        result = preview.rebuild()
        assert result is not None and result.patched
        assert gc.get_freeze_count() >= frozen
        ring = _Ring()
        kept = weakref.ref(ring)
        del ring
        result = preview.rebuild()  # nothing changed since: no collection of a whole heap for nothing
        assert result is not None and result.unchanged
        assert kept() is not None
    finally:
        gc.unfreeze()
        if collecting:
            gc.enable()


class _Ring:
    def __init__(self) -> None:
        self.me = self


def test_a_signal_while_serving_stops_the_loop_without_raising(preview: serve_module.Preview) -> None:
    loop = asyncio.new_event_loop()
    before = signal.getsignal(signal.SIGTERM)
    try:
        with serve_module._Shutdown(preview, loop):
            loop.call_soon(os.kill, os.getpid(), signal.SIGTERM)
            loop.run_forever()  # no exception: the handler only stops the loop
        assert preview.stopping
        assert signal.getsignal(signal.SIGTERM) is before
    finally:
        loop.close()


def test_notifications_count_only_visible_files(tmp_path: Path) -> None:
    counts = serve_module.visible([tmp_path / "content", tmp_path / "theme"])
    assert counts(None, str(tmp_path / "content" / "activities" / "x.md"))
    assert counts(None, str(tmp_path / "theme" / "templates" / "base.html"))
    assert not counts(None, str(tmp_path / "content" / "activities" / ".x.md.swp"))
    assert not counts(None, str(tmp_path / "content" / ".git" / "index"))
    assert not counts(None, str(tmp_path / "output" / "index.html"))
    (tmp_path / "content" / "images").mkdir(parents=True)
    assert not counts(None, str(tmp_path / "content" / "images"))  # a new empty folder: nothing to build
    assert counts(None, str(tmp_path / "content" / "gone"))  # removed (a folder or a file): the build decides


def test_a_save_is_notified_without_a_poll(tmp_path: Path) -> None:
    """The operating system tells of a save (no scan of the folders): the preview's wake-up comes from the
    notifier's thread, with the time of the batch."""
    folder = tmp_path / "content"
    folder.mkdir()
    woken: list[tuple[float, set[str]]] = []
    notifier = serve_module.Notifier([folder], lambda moment, paths: woken.append((moment, paths)))
    notifier.start()
    try:
        saved = time.monotonic()
        wait_until(lambda: notifier.working and (folder / "x.md").write_text(str(time.monotonic())) > 0 and bool(woken),
                   30, "a notification of the save")
        assert woken[0][0] >= saved
        assert {os.path.realpath(p) for p in woken[0][1]} == {os.path.realpath(folder / "x.md")}
    finally:
        notifier.close()
    wait_until(lambda: not notifier.thread.is_alive(), 10, "the notifier's thread to end")
    assert not notifier.working


class _Preview:
    """What the watcher asks of a preview, counting rebuilds."""

    def __init__(self) -> None:
        self.stopping = False
        self.rebuilds = 0
        self.folders: list[Path] = []
        self.problems: list[object] = []
        self.fatal = None
        self.written = 1
        self.found: list[object] = []  # the problems the next rebuild finds

        self.covered: set[str] = set()
        self.unnotified: set[str] = set()  # what the poll's next picture finds besides the notified files
        self.notified: list[bool] = []

    def rebuild(self, notified: bool = False) -> Any:
        self.rebuilds += 1
        self.notified.append(notified)
        self.problems = self.found
        return SimpleNamespace(files=3, stats=SimpleNamespace(written=self.written))

    def changed(self) -> set[str]:
        found, self.unnotified = self.covered | self.unnotified, set()
        return found


def test_a_notification_that_a_rebuild_already_covered_builds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    reloads: list[str] = []
    monkeypatch.setattr(serve_module.LiveReloadHandler, "reload_waiters", lambda path: reloads.append(path))
    preview = _Preview()
    watcher = serve_module._PreviewWatcher(preview)  # type: ignore[arg-type]
    watcher._notified(time.monotonic())
    assert preview.rebuilds == 1 and reloads == ["*"]
    watcher._notified(watcher.last_look - 0.001)  # a batch from before the rebuild began: it read that save
    assert preview.rebuilds == 1
    preview.written = 0  # a rebuild that changed nothing the browser shows: no reload
    watcher._notified(time.monotonic())
    assert preview.rebuilds == 2 and reloads == ["*"]
    preview.found = ["content/activities/x.md:3: start: …"]  # the same files, but now an error to show
    watcher._notified(time.monotonic())
    assert preview.rebuilds == 3 and reloads == ["*", "*"]
    preview.stopping = True
    watcher._notified(time.monotonic())
    assert preview.rebuilds == 3


def test_a_change_the_notifications_missed_is_read_with_the_whole_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    """A notified rebuild reads only the notified files; when the poll's picture, brought up to date after it,
    shows another change (saved before the notifications began, or lost), the folder is read again at once."""
    monkeypatch.setattr(serve_module.LiveReloadHandler, "reload_waiters", lambda path: None)
    preview = _Preview()
    watcher = serve_module._PreviewWatcher(preview)  # type: ignore[arg-type]
    watcher.notifier = SimpleNamespace(working=True)  # type: ignore[assignment]
    preview.covered = {"/site/content/activities/a.md"}
    watcher._notified(time.monotonic())
    assert preview.notified == [True]  # the picture showed only the notified file
    preview.unnotified = {"/site/content/activities/b.md"}
    watcher._notified(time.monotonic())
    assert preview.notified == [True, True, False]
    watcher.notifier = SimpleNamespace(working=False)  # type: ignore[assignment]
    watcher._notified(time.monotonic())  # notifications that stopped may have lost saves
    assert preview.notified == [True, True, False, False]

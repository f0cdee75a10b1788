"""`kkssite serve`: build, serve the output on 127.0.0.1 with live reload, rebuild on every save.

The server is the `livereload` package's (its websocket protocol and its livereload.js, served locally). A
save is seen through the operating system's file notifications (inotify, FSEvents, ReadDirectoryChangesW, by
the `watchfiles` package) 20 ms after its last write; a poll of the content and theme folders (every 50–500 ms,
longer for large sites; every 2 s while notifications work) is the safety net for folders that send none, such
as some network and container mounts. Either starts an incremental build that keeps parsed files and the page
manifest in memory; after a notification it looks again only at the files notified, and the poll's picture,
brought up to date after every rebuild, catches anything a notification missed. The browser reloads when the
build changed what it shows. A content error never stops the
server: it keeps serving the last good site and lays the error lines over every page, in the browser and in
the terminal, until the file is fixed. Drafts are shown, marked UTKAST.
"""

from __future__ import annotations

import asyncio
import dataclasses
import errno
import gc
import html
import logging
import mimetypes
import os
import signal
import sys
import threading
import time
import webbrowser
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType
from typing import Any

import watchfiles
from babel.numbers import format_decimal
from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import ioloop

from .build import BuildResult, build
from .cache import MemoryCache
from .config import BuildOptions, current_time
from .errors import ContentError, Problem, ThemeError, UsageError
from .i18n import _, editor, ngettext
from .write import WriteError

MIME = {".ics": "text/calendar; charset=utf-8", ".xml": "application/xml; charset=utf-8",
        ".json": "application/json; charset=utf-8", ".html": "text/html; charset=utf-8",
        ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
        ".txt": "text/plain; charset=utf-8"}

#: The error overlay laid over every page of the preview; `heading` and `advice` come from the catalogue.
OVERLAY = """<div id="kkssite-fel" role="alert" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;
background:rgba(20,18,16,.94);color:#fff;font:16px/1.5 system-ui,sans-serif;padding:2rem">
<h2 style="margin:0 0 .5rem;color:#ffb4a6">{heading}</h2>
<p style="margin:0 0 1rem">{advice}</p>
<ul style="font:15px/1.6 ui-monospace,monospace;padding-left:1.2rem">{items}</ul></div>"""
#: What the preview serves when no build has succeeded yet.
NO_BUILD = """<!DOCTYPE html><html lang="{lang}"><head><title>{title}</title></head><body>\
<h1>{heading}</h1></body></html>"""


def snapshot(folders: Iterable[Path]) -> dict[str, tuple[int, int, int]]:
    """(mtime, size, type) of every entry below the folders: what a save changes. Nothing is opened, and links
    are not followed into folders: a link is seen with its target's signature (so an edit of the target counts)
    or, dangling or looping, with its own; the build decides what may be read (files.py)."""
    seen: dict[str, tuple[int, int, int]] = {}
    stack = [str(f) for f in folders if f.is_dir()]
    while stack:
        try:
            with os.scandir(stack.pop()) as entries:
                found = list(entries)
        except OSError:  # removed or unreadable while we looked: the build reports it
            continue
        for entry in found:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                    continue
                st = entry.stat(follow_symlinks=False)
                if entry.is_symlink():
                    with suppress(OSError):
                        st = entry.stat()
            except OSError:
                continue
            seen[entry.path] = (st.st_mtime_ns, st.st_size, st.st_mode)
    return seen


class Preview:
    """The state of one preview: options, the in-memory cache, the last problems, and a rebuild step."""

    def __init__(self, options: BuildOptions, log: Callable[[str], None] = print) -> None:
        self.options = dataclasses.replace(options, drafts=True)
        self.memory = MemoryCache()
        self.problems: list[Problem] = []
        self.fatal: str | None = None  # a theme or output problem (not the editor's content)
        self.log = log
        self.folders = [options.content, options.theme]
        self.seen = snapshot(self.folders)
        self.scan_seconds = 0.0
        self.rebuilding = False  # a signal may interrupt a rebuild only while this is set
        self.stopping = False
        self._pending: set[str] = set()  # files notified since the last rebuild took them (any thread adds)
        self._lock = threading.Lock()
        self.covered: set[str] = set()  # the notified files the last rebuild read again (absolute paths)
        self.warmed: object = None  # the theme whose templates were loaded into this process (Theme.warm)

    def notified(self, paths: Iterable[str]) -> None:
        """Files the operating system said changed; the next `rebuild(notified=True)` reads only those again."""
        with self._lock:
            self._pending.update(paths)

    def rebuild(self, notified: bool = False) -> BuildResult | None:
        """Build the preview; a KeyboardInterrupt (Ctrl-C while it runs) leaves the last good preview.

        `notified`: every file changed since the last rebuild was notified (see `notified`), so the content
        folder need not be walked again (build._load decides)."""
        started = time.perf_counter()
        with self._lock:
            changed, self._pending = self._pending, set()
        self.covered = {os.path.abspath(p) for p in changed} if notified else set()
        try:
            with self._rebuilding():
                result = self._build(changed if notified else None)
        except ContentError as exc:
            self.problems, self.fatal = exc.problems, None
            for problem in exc.problems:
                self.log(str(problem))
            self.log(_("Fix the errors above; the preview shows the last working version."))
            return None
        except (ThemeError, WriteError) as exc:
            self.problems, self.fatal = [], str(exc)
            self.log(f"kkssite: {exc}")
            return None
        self.problems, self.fatal = list(result.warnings), None
        if self.memory.theme is not None and self.memory.theme is not self.warmed:
            self.memory.theme.warm()
            self.warmed = self.memory.theme
        self._freeze(result)
        for warning in result.warnings:
            self.log(str(warning))
        seconds = format_decimal(time.perf_counter() - started, format="0.00", locale=editor.locale)
        self.log(_("Updated in {seconds} s: {pages} and {files} rewritten", seconds=seconds,
                   pages=ngettext("{n} page", "{n} pages", result.rendered),
                   files=ngettext("{n} file", "{n} files", result.stats.written)))
        return result

    def _build(self, changed: set[str] | None) -> BuildResult:
        try:
            return build(dataclasses.replace(self.options, now=self.options.now or current_time()),
                         memory=self.memory, changed=changed)
        except BaseException as exc:
            if not isinstance(exc, ContentError):  # stopped before the notified files were read, perhaps:
                self.memory.loaded = None  # the next rebuild reads the whole folder
            raise

    @staticmethod
    def _freeze(result: BuildResult) -> None:
        """Keep the cyclic garbage collector off what the preview holds between saves: at 10,000 activities,
        1.2 million objects, which a collection soon after every full build walked for a second, in the way of
        the next save. A full build's garbage (the previous site's cycles) is collected first; a patch leaves a
        handful of cyclic objects (5 at 10,000), which the next full build's collection finds (build() thaws
        everything as it ends). A build that found nothing to do (a second notification of one save) made
        nothing and thawed nothing: it costs no collection."""
        if result.unchanged:
            return
        if not result.patched:
            gc.collect()
        gc.freeze()

    @contextmanager
    def _rebuilding(self) -> Iterator[None]:
        if self.stopping:
            raise KeyboardInterrupt
        self.rebuilding = True
        try:
            yield
        finally:
            self.rebuilding = False

    def changed(self) -> set[str]:
        """The files below the watched folders saved, added or removed since the last look (absolute paths)."""
        started = time.perf_counter()
        now = snapshot(self.folders)
        self.scan_seconds = time.perf_counter() - started
        if now == self.seen:
            return set()
        found = {os.path.abspath(p) for p in now.keys() ^ self.seen.keys()}
        found.update(os.path.abspath(p) for p, signature in now.items() if self.seen.get(p, signature) != signature)
        self.seen = now
        return found

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def overlay(self) -> bytes:
        lines = [str(p) for p in self.errors] or ([self.fatal] if self.fatal else [])
        if not lines:
            return b""
        items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        return OVERLAY.format(
            heading=html.escape(_("The content has errors – the page shows the last working version")),
            advice=html.escape(_("Fix the errors and save the file; the page reloads by itself.")), items=items,
        ).encode("utf-8")

    def app(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        """WSGI: the files of the output folder (index.html for folders, 404.html when missing) + overlay."""
        root = self.options.output.resolve()
        path = environ.get("PATH_INFO", "/")
        target = (root / path.lstrip("/")).resolve()
        status = "200 OK"
        if not target.is_relative_to(root):
            target = root / "404.html"
            status = "404 Not Found"
        elif target.is_dir():
            if not path.endswith("/"):
                start_response("301 Moved Permanently", [("Location", path + "/")])
                return [b""]
            target = target / "index.html"
        if not target.is_file():
            target, status = root / "404.html", "404 Not Found"
        if target.is_file():
            body = target.read_bytes()
            kind = MIME.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        else:
            body = NO_BUILD.format(lang=editor.tag, title=html.escape(_("No build")),
                                   heading=html.escape(_("The website could not be built"))).encode("utf-8")
            kind = MIME[".html"]
            status = "500 Internal Server Error"
        if kind.startswith("text/html") and (overlay := self.overlay()):
            body = body.replace(b"</body>", overlay + b"</body>", 1)
        start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body))),
                                ("Cache-Control", "no-store")])
        return [body]


def visible(folders: Iterable[Path]) -> Callable[[Any, str], bool]:
    """The notifications that count: those of files below `folders` without a hidden name on the way, and of
    anything that is gone (what `snapshot` looks at: an editor's .swp, a .git folder or a new empty folder
    changes nothing)."""
    roots = [os.path.abspath(f) for f in folders]

    def counts(_change: Any, path: str) -> bool:
        for root in roots:
            rel = os.path.relpath(path, root)
            if not rel.startswith(os.pardir):
                return not any(part.startswith(".") for part in rel.split(os.sep)) and not os.path.isdir(path)
        return False
    return counts


class Notifier:
    """The operating system's notifications of changes below `folders`, in a thread of their own (watchfiles
    blocks while it waits): `wake(moment, paths)` is called with the monotonic time and the paths of each
    batch, 20 ms after its last change (an editor's save, one write or a write and a rename, is well within
    that). `working` is False once the notifications could not start or stopped (then only the poll sees
    saves)."""

    def __init__(self, folders: Iterable[Path], wake: Callable[[float, set[str]], None]) -> None:
        self.folders = [f for f in folders if f.is_dir()]
        self.wake = wake
        self.stop = threading.Event()
        self.working = True
        self.thread = threading.Thread(target=self._run, name="kkssite-notifications", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def close(self) -> None:
        self.stop.set()

    def _run(self) -> None:
        try:
            for batch in watchfiles.watch(*self.folders, watch_filter=visible(self.folders), step=20,
                                          stop_event=self.stop, rust_timeout=500, raise_interrupt=False):
                self.wake(time.monotonic(), {path for _change, path in batch})
        except Exception:  # no notifications here (a watch limit, a mount without them): the poll sees saves
            pass
        finally:
            self.working = False


class _PreviewWatcher(Watcher):  # type: ignore[misc]
    """livereload's watcher interface, driven by file notifications, our own adaptive poll, and the
    incremental rebuild."""

    def __init__(self, preview: Preview) -> None:
        super().__init__()
        self.preview = preview
        self.notifier: Notifier | None = None
        self.last_look = 0.0  # monotonic time at which the last rebuild began to read the folders
        self.files = -1  # files of the output after the last rebuild

    def start(self, callback: Callable[[], None]) -> bool:
        loop = ioloop.IOLoop.current()
        self.notifier = Notifier(self.preview.folders, lambda moment, paths: self._wake(loop, moment, paths))
        self.notifier.start()
        self._schedule(0.05)
        return True  # we watch ourselves; livereload must not start its 800 ms timer

    def _schedule(self, delay: float) -> None:
        ioloop.IOLoop.current().call_later(delay, self._tick)

    def _wake(self, loop: ioloop.IOLoop, moment: float, paths: set[str]) -> None:
        """(In the notifications' thread.) The paths are noted before the loop hears of them, so a rebuild that
        begins in between reads them too (and the batch's own callback then finds it was seen first)."""
        self.preview.notified(paths)
        loop.add_callback(self._notified, moment)

    def _notified(self, moment: float) -> None:
        """A batch of notifications: rebuild at once, unless a rebuild began after it (the poll saw it first)."""
        if self.preview.stopping or moment < self.last_look:
            return
        if self._rebuild(notified=True) and self.preview.changed() - self.preview.covered:
            # After the browser was told, the poll's picture is brought up to date; a change in it that was not
            # notified (saved before the notifications began, or lost) is read now, with the whole folder.
            self._rebuild()

    def _tick(self) -> None:
        if self.preview.stopping:
            return
        if self.preview.changed() and not self._rebuild():
            return
        if self.notifier is not None and self.notifier.working:
            self._schedule(2.0)  # the safety net only: notifications bring the saves
        else:
            self._schedule(min(0.5, max(0.05, 5 * self.preview.scan_seconds)))

    def _rebuild(self, notified: bool = False) -> bool:
        """Rebuild and tell the browsers to reload unless the preview is as it was (a second notification of
        one save, the poll catching up); False when Ctrl-C stopped it (nothing was published). `notified`: the
        notifications named every change since the last rebuild (not so when the poll saw one)."""
        self.last_look = time.monotonic()
        before = (self.preview.problems, self.preview.fatal, self.files)
        try:
            result = self.preview.rebuild(notified=notified and self.notifier is not None and self.notifier.working)
        except KeyboardInterrupt:
            if self.notifier is not None:
                self.notifier.close()
            return False
        if result is not None:
            self.files = result.files
        if result is None or result.stats.written or (self.preview.problems, self.preview.fatal, self.files) != before:
            LiveReloadHandler.reload_waiters(path="*")  # our rebuild decides; no 3-second throttle
        return True

    def examine(self) -> tuple[None, None]:
        return None, None


class _QuietServer(Server):  # type: ignore[misc]
    def _setup_logging(self) -> None:
        logging.getLogger("livereload").setLevel(logging.WARNING)
        logging.getLogger("tornado.access").setLevel(logging.WARNING)


class _Shutdown:
    """SIGINT (Ctrl-C) and SIGTERM stop the server, whatever it is doing.

    A signal never raises inside the server's own code (livereload catches every exception while it writes to a
    websocket, so a KeyboardInterrupt raised there was swallowed and the server kept running): while it serves, the
    handler only asks the event loop to stop. While a rebuild runs, the handler raises KeyboardInterrupt to abort
    it; the build publishes all or nothing, so the last good preview stays as it was. A second signal during the
    shutdown ends the process at once.
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self, preview: Preview, loop: asyncio.AbstractEventLoop) -> None:
        self.preview = preview
        self.loop = loop
        self.previous: dict[int, Any] = {}

    def __enter__(self) -> _Shutdown:
        for signum in self.SIGNALS:
            self.previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *_: object) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.preview.stopping and not self.preview.rebuilding:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        self.preview.stopping = True
        self.loop.call_soon_threadsafe(self.loop.stop)  # wakes the loop through its self-pipe
        if self.preview.rebuilding:
            raise KeyboardInterrupt


def serve(options: BuildOptions, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> int:
    """Build, then serve with live reload until Ctrl-C (SIGINT) or SIGTERM."""
    preview = Preview(options, log=lambda line: print(line, file=sys.stderr, flush=True))
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    io_loop = ioloop.IOLoop.current()  # the tornado loop over `loop`, which livereload's handlers use
    watcher = _PreviewWatcher(preview)
    try:
        with _Shutdown(preview, loop):
            # Listen first: a port in use is reported before the first build, and a browser that asks during
            # that build waits for it instead of being refused.
            server = _QuietServer(app=preview.app, watcher=watcher)
            server._setup_logging()
            try:
                server.application(port, host, debug=False)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    raise UsageError(_("port {port} on {host} is already in use (is serve already running?); "
                                       "choose another with --port", port=port, host=host)) from None
                raise UsageError(_("cannot listen on {host}:{port}: {reason}", host=host, port=port,
                                   reason=exc.strerror or exc)) from None
            try:
                preview.rebuild()
            except KeyboardInterrupt:
                preview.stopping = True
            if not preview.stopping:
                url = f"http://{host}:{port}/"
                print(_("Preview on {url} (drafts are shown). Stop with Ctrl-C.", url=url), flush=True)
                if open_browser:
                    io_loop.call_later(0.5, lambda: webbrowser.open(url))
                LiveReloadHandler.start_tasks()
                io_loop.start()
    finally:
        if watcher.notifier is not None:
            watcher.notifier.close()
        for waiter in list(LiveReloadHandler.waiters):  # open browser tabs: their connections end here
            waiter.on_close()
        io_loop.close(all_fds=True)  # the listening socket and every connection
        asyncio.set_event_loop(None)
    print(_("The preview has ended."), flush=True)
    return 0

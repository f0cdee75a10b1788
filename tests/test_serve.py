"""serve: a real `kkssite serve` process driven over HTTP and the livereload websocket: a save rebuilds and
reloads, broken front matter shows an error overlay over the last good site, and fixing it recovers."""

from __future__ import annotations

import asyncio
import json
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from support import FIXTURES
from tornado.websocket import websocket_connect


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    shutil.copytree(FIXTURES / "minimal", tmp_path / "content")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kkssite", "serve", "--port", str(port), "--now", "2026-11-27T12:00"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if get(base)[0] == 200:
                break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("serve did not start: " + process.communicate()[0])
    yield base, port, tmp_path / "content", process
    if process.poll() is None:
        process.kill()
    process.communicate()  # closes the pipe


async def wait_for_reload(port: int, change) -> float:  # type: ignore[no-untyped-def]
    """Connect as livereload.js does, make the change, and return the seconds until `reload` arrives."""
    ws = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    await ws.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
    assert json.loads(await ws.read_message())["command"] == "hello"
    await ws.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/"}))
    await asyncio.sleep(0.2)  # let the server register the page before the change
    started = time.monotonic()
    change()
    while True:
        message = await asyncio.wait_for(ws.read_message(), timeout=10)
        if message and json.loads(message)["command"] == "reload":
            ws.close()
            return time.monotonic() - started


def test_serves_drafts_404_and_injects_live_reload(server) -> None:  # type: ignore[no-untyped-def]
    base, _, _, _ = server
    status, page = get(base + "aktiviteter/utkast/")
    assert status == 200 and "UTKAST" in page and "livereload.js" in page
    status, page = get(base + "finns-inte/")
    assert status == 404 and "Sidan finns inte" in page
    assert get(base + "aktiviteter")[0] == 200  # redirected to the folder


def test_save_rebuilds_and_reloads_error_overlay_and_recovery(server) -> None:  # type: ignore[no-untyped-def]
    base, port, content, process = server
    file = content / "activities" / "dans-och-ljud.md"
    original = file.read_text(encoding="utf-8")

    asyncio.run(wait_for_reload(port, lambda: file.write_text(original.replace("Dans och ljud", "Dans, ljud och ljus"),
                                                              encoding="utf-8")))
    assert "Dans, ljud och ljus" in get(base + "aktiviteter/dans-och-ljud/")[1]

    asyncio.run(wait_for_reload(port, lambda: file.write_text(original.replace("start: 2027-01-12 10:00", "start: 12 januari"),
                                                              encoding="utf-8")))
    page = get(base + "aktiviteter/dans-och-ljud/")[1]
    assert 'id="kkssite-fel"' in page
    assert "content/activities/dans-och-ljud.md:9: start: förväntade datum och tid som 2027-03-14 18:00, fick &#x27;12 januari&#x27;" in page
    assert "Dans, ljud och ljus" in page  # the last good site is still served under the overlay

    asyncio.run(wait_for_reload(port, lambda: file.write_text(original, encoding="utf-8")))
    page = get(base + "aktiviteter/dans-och-ljud/")[1]
    assert 'id="kkssite-fel"' not in page and "Dans och ljud" in page

    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "dans-och-ljud.md:9: start:" in output and "Traceback" not in output

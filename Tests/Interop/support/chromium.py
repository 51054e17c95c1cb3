"""Headless Chromium (Debian's) driven over the Chrome DevTools protocol, plus a page server.

No WebDriver and no downloads: Chromium opens a DevTools WebSocket on a loopback port, and
websocket-client talks to it.
"""

from __future__ import annotations

import functools
import http.server
import itertools
import json
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import requests
import websocket

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


class Chromium:
    """One headless browser with one page; `evaluate` runs JavaScript in it."""

    def __init__(self, binary: str, extra_arguments: tuple[str, ...] = ()) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix="interop-chromium-"))
        self.log = open(self.profile / "chromium.log", "wb")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",  # we run as root
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-extensions",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                *extra_arguments,  # e.g. --ignore-certificate-errors-spki-list=<hash> for a test CA
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.ids = itertools.count(1)
        self.socket = self.connect_to_page()

    def connect_to_page(self, timeout: float = 20.0) -> websocket.WebSocket:
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chromium exited with {self.process.returncode}: {self.log_text()}")
            if port_file.exists() and port_file.read_text().strip():
                port = int(port_file.read_text().split()[0])
                targets = requests.get(f"http://127.0.0.1:{port}/json/list", timeout=5).json()
                pages = [target for target in targets if target.get("type") == "page"]
                if pages:
                    return websocket.create_connection(
                        pages[0]["webSocketDebuggerUrl"], timeout=10, suppress_origin=True
                    )
            time.sleep(0.1)
        raise RuntimeError(f"chromium DevTools did not come up: {self.log_text()}")

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Sends one DevTools command and returns its result (events in between are skipped)."""
        identifier = next(self.ids)
        self.socket.send(json.dumps({"id": identifier, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == identifier:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def navigate(self, url: str) -> None:
        self.call("Page.navigate", url=url)

    def evaluate(self, expression: str) -> Any:
        """The JSON value of `expression` (promises are awaited)."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_until(self, expression: str, timeout: float = 10.0) -> Any:
        """Polls `expression` until it is truthy; returns that value."""
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            try:
                value = self.evaluate(expression)
            except RuntimeError:
                value = None  # the page is still loading
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError(f"`{expression}` stayed {value!r} for {timeout}s; page results: {self.results()}")

    def results(self) -> Any:
        try:
            return self.evaluate("window.results || null")
        except RuntimeError as error:
            return f"<unavailable: {error}>"

    def log_text(self) -> str:
        self.log.flush()
        return (self.profile / "chromium.log").read_text(errors="replace")[-4000:]

    def close(self) -> None:
        try:
            self.socket.close()
        except Exception:  # noqa: BLE001 - best effort at teardown
            pass
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


class PageServer:
    """Serves a folder over HTTP on its own loopback port (another origin than the gateway)."""

    def __init__(self, folder: Path) -> None:
        handler = functools.partial(QuietHandler, directory=str(folder))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


BUNDLE = Path(__file__).resolve().parents[3] / "scripts" / ".cache" / "socket.io.min.js"


def serve_pages(folder: Path, *pages: Path) -> PageServer:
    """A PageServer for `pages` beside the real socket.io-client bundle, from `folder`; fails
    the test when the bundle is missing (scripts/setup fetches it)."""
    import pytest

    if not BUNDLE.exists():
        pytest.fail(f"{BUNDLE} missing: run scripts/setup (or scripts/fetch-socketio-client)", pytrace=False)
    for page in pages:
        shutil.copy(page, folder / page.name)
    shutil.copy(BUNDLE, folder / "socket.io.min.js")
    return PageServer(folder)


def launch_chromium(*extra_arguments: str) -> Chromium:
    """Headless Chromium from Debian; fails the test when it is not installed."""
    import pytest

    binary = find_chromium()
    if binary is None:
        pytest.fail("chromium not found: run scripts/setup (Debian package chromium)", pytrace=False)
    return Chromium(binary, extra_arguments) if extra_arguments else Chromium(binary)

"""Raw Engine.IO clients: WebSocket frames (websocket-client) and polling requests (requests).

Used where the tests must see the exact bytes, or behave as no library would (stop answering
pings, send malformed packets).
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import requests
import websocket

from support.gateway import is_peer

OPCODE_TEXT = websocket.ABNF.OPCODE_TEXT
OPCODE_BINARY = websocket.ABNF.OPCODE_BINARY
OPCODE_CLOSE = websocket.ABNF.OPCODE_CLOSE
RECORD_SEPARATOR = "\x1e"


class Closed(Exception):
    """The peer closed the WebSocket (close frame or TCP end)."""


class RawSocket:
    """One WebSocket; `receive` returns str for text frames and bytes for binary ones."""

    def __init__(self, url: str, headers: dict[str, str] | None = None, timeout: float = 5.0) -> None:
        header_lines = [f"{name}: {value}" for name, value in (headers or {}).items()]
        # websocket-client adds an Origin of its own unless told not to.
        custom_origin = any(name.lower() == "origin" for name in (headers or {}))
        self.socket = websocket.create_connection(
            url, timeout=timeout, header=header_lines, suppress_origin=custom_origin
        )

    def send(self, data: str | bytes) -> None:
        if isinstance(data, bytes):
            self.socket.send_binary(data)
        else:
            self.socket.send(data)

    def receive(self, timeout: float = 5.0) -> str | bytes:
        """The next data frame; raises Closed on close and TimeoutError on silence."""
        self.socket.settimeout(timeout)
        try:
            opcode, data = self.socket.recv_data(control_frame=True)
        except websocket.WebSocketTimeoutException:
            raise TimeoutError(f"no frame within {timeout}s") from None
        except (websocket.WebSocketConnectionClosedException, ConnectionError, OSError):
            raise Closed() from None
        if opcode == OPCODE_CLOSE:
            raise Closed()
        if opcode == OPCODE_TEXT:
            return data.decode("utf-8")
        if opcode == OPCODE_BINARY:
            return bytes(data)
        return self.receive(timeout)  # ping/pong control frames: not Engine.IO traffic

    def receive_skipping_pings(self, timeout: float = 5.0, answer: bool = True) -> str | bytes:
        """Like `receive`, but Engine.IO pings ("2") are answered (or ignored) and skipped."""
        deadline = time.monotonic() + timeout
        while True:
            frame = self.receive(max(0.01, deadline - time.monotonic()))
            if frame != "2":
                return frame
            if answer:
                self.send("3")

    def closes_within(self, timeout: float, answer_pings: bool = False) -> bool:
        """True when the server closes the socket within `timeout` (frames are drained)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                frame = self.receive(max(0.01, deadline - time.monotonic()))
            except Closed:
                return True
            except TimeoutError:
                return False
            if frame == "2" and answer_pings:
                self.send("3")
        return False

    def close(self) -> None:
        try:
            self.socket.close(timeout=0.5)
        except Exception:  # noqa: BLE001 - best effort at teardown
            pass


def open_packet(frame: str | bytes) -> dict[str, Any]:
    """Parses an Engine.IO open packet `0{...}`."""
    assert isinstance(frame, str) and frame.startswith("0"), f"not an open packet: {frame!r}"
    return json.loads(frame[1:])


def engineio_socket(
    ws_base: str,
    path: str = "/socket.io/",
    headers: dict[str, str] | None = None,
    query: str = "EIO=4&transport=websocket",
) -> tuple[RawSocket, dict[str, Any]]:
    """A WebSocket-only Engine.IO session; returns it with its open packet."""
    socket = RawSocket(f"{ws_base}{path}?{query}", headers)
    return socket, open_packet(socket.receive())


def socketio_connect(ws_base: str, auth: Any = None, headers: dict[str, str] | None = None) -> tuple[RawSocket, str]:
    """Raw WebSocket session joined to namespace `/`; returns it and the CONNECT reply."""
    socket, _ = engineio_socket(ws_base, headers=headers)
    socket.send("40" if auth is None else "40" + json.dumps(auth, separators=(",", ":")))
    return socket, socket.receive_skipping_pings()


class Polling:
    """Raw Engine.IO long-polling against one server (a fresh `requests.Session`)."""

    def __init__(self, base_url: str, path: str = "/socket.io/") -> None:
        self.endpoint = f"{base_url}{path}"
        self.session = requests.Session()

    def url(self, sid: str | None = None, query: str = "EIO=4&transport=polling") -> str:
        return f"{self.endpoint}?{query}" + (f"&sid={sid}" if sid else "")

    def handshake(self, headers: dict[str, str] | None = None) -> tuple[str, dict[str, Any]]:
        response = self.session.get(self.url(), headers=headers, timeout=5)
        assert response.status_code == 200, response.text
        opened = open_packet(response.text)
        return opened["sid"], opened

    def get(self, sid: str, timeout: float = 5.0, **options: Any) -> requests.Response:
        return self.session.get(self.url(sid), timeout=timeout, **options)

    def post(self, sid: str, body: str | bytes, timeout: float = 5.0, **options: Any) -> requests.Response:
        data = body.encode() if isinstance(body, str) else body
        headers = {"Content-Type": "text/plain;charset=UTF-8"}
        return self.session.post(self.url(sid), data=data, headers=headers, timeout=timeout, **options)


def payload_records(body: str) -> list[str]:
    """Splits a polling payload into its packets."""
    return body.split(RECORD_SEPARATOR)


OFFSET_TAIL = re.compile(r',"[A-Za-z0-9_-]+\.\d+"\]$')


def without_offset(frame: str | bytes) -> str | bytes:
    """A persisted event frame without its trailing offset argument (durable delivery), which
    must be there; the python peer sends none, so its frames are returned as they are."""
    if is_peer() or not isinstance(frame, str):
        return frame
    match = OFFSET_TAIL.search(frame)
    assert match, f"no trailing offset in {frame!r}"
    return frame[: match.start()] + "]"

"""Helpers shared by the ports of socket.io's official Engine.IO and Socket.IO test suites."""

from __future__ import annotations

import socket as sockets
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable

import requests
import websocket

from support.raw import RawSocket

PING_INTERVAL = 0.3
PING_TIMEOUT = 0.2
# Slack for a loaded 2-core machine on top of the suites' exact timings.
MARGIN = 0.5
CLOSE_WAIT = 2.0

FIVE_KEYS = {"sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"}


def check_open_packet(opened: dict[str, Any], upgrades: list[str]) -> None:
    assert set(opened) == FIVE_KEYS, opened
    assert isinstance(opened["sid"], str) and opened["sid"]
    assert opened["upgrades"] == upgrades
    assert opened["pingInterval"] == 300
    assert opened["pingTimeout"] == 200
    assert opened["maxPayload"] == 1000000


def websocket_refused_or_closed(url: str, headers: dict[str, str] | None = None) -> bool:
    """True when the server refuses the WebSocket handshake or closes it right after."""
    try:
        socket = RawSocket(url, headers, timeout=CLOSE_WAIT)
    except (websocket.WebSocketException, ConnectionError, OSError):
        return True
    try:
        return socket.closes_within(CLOSE_WAIT)
    finally:
        socket.close()


def in_background(function: Callable[[], Any]) -> Future[Any]:
    """Runs `function` on its own thread; the future carries its result or exception."""
    executor = ThreadPoolExecutor(max_workers=1)
    future = executor.submit(function)
    executor.shutdown(wait=False)
    return future


def fresh_get(url: str, timeout: float = 5.0) -> requests.Response:
    """A GET on a new TCP connection (concurrent requests must not share one)."""
    with requests.Session() as session:
        return session.get(url, timeout=timeout)


def fresh_post(url: str, body: str, timeout: float = 5.0) -> requests.Response:
    with requests.Session() as session:
        return session.post(
            url, data=body.encode(), timeout=timeout, headers={"Content-Type": "text/plain;charset=UTF-8"}
        )


def settle() -> None:
    """Lets a request that was just sent reach the server before the next one."""
    time.sleep(0.05)


def abort_pending_get(host: str, port: int, path_and_query: str) -> None:
    """Sends a GET and closes the TCP connection while the server holds it (long-poll)."""
    connection = sockets.create_connection((host, port), timeout=5)
    request = f"GET {path_and_query} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: keep-alive\r\n\r\n"
    connection.sendall(request.encode())
    settle()
    connection.close()

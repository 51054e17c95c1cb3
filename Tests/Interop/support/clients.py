"""python-socketio's client (from PyPI, written by nobody here) with an event recorder."""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

import engineio
import socketio

WEBSOCKET_ONLY = ["websocket"]
POLLING_ONLY = ["polling"]
POLLING_THEN_UPGRADE = ["polling", "websocket"]


class RecordingClient:
    """A `socketio.Client` that records every event (name, arguments) it receives."""

    def __init__(self, reconnection: bool = False) -> None:
        self.client = socketio.Client(
            reconnection=reconnection,
            reconnection_delay=0.1,
            reconnection_delay_max=0.2,
            logger=False,
            engineio_logger=False,
        )
        self.events: list[tuple[str, tuple[Any, ...]]] = []
        # Engine.IO message payloads in arrival order, recorded on the client's read loop.
        # python-socketio hands each message to a thread of its own, so its events can be
        # reordered or (see `wait_for_server_disconnect`) lost; the wire order is kept here.
        self.messages: list[str] = []
        self.condition = threading.Condition()
        receive = self.client.eio._receive_packet

        def recording_receive(packet: Any) -> None:
            if packet.packet_type == engineio.packet.MESSAGE and isinstance(packet.data, str):
                with self.condition:
                    self.messages.append(packet.data)
                    self.condition.notify_all()
            receive(packet)

        self.client.eio._receive_packet = recording_receive
        self.client.on("connect", lambda: self.record("connect"))
        self.client.on("disconnect", lambda reason=None: self.record("disconnect", reason))
        self.client.on("connect_error", lambda data=None: self.record("connect_error", data))
        self.client.on("*", lambda event, *arguments: self.record(event, *arguments))

    def record(self, name: str, *arguments: Any) -> None:
        with self.condition:
            self.events.append((name, arguments))
            self.condition.notify_all()

    def connect(
        self,
        url: str,
        token: str | None = None,
        transports: list[str] | None = None,
        headers: dict[str, str] | None = None,
        auth: Any = None,
        wait: bool = True,
    ) -> "RecordingClient":
        """Connects to namespace `/`; `token` becomes `auth: {token}` unless `auth` is given.

        With `wait=False` it returns once Engine.IO is open, without waiting for the CONNECT
        reply. Use that when the server may DISCONNECT right after accepting: python-socketio
        ignores a DISCONNECT that arrives while connect() is still waiting (it checks
        `self.connected`, which connect() sets only at its end), and never reports it.
        """
        if auth is None and token is not None:
            auth = {"token": token}
        self.client.connect(
            url,
            auth=auth,
            headers=headers or {},
            transports=transports or WEBSOCKET_ONLY,
            namespaces=["/"],
            wait=wait,
            wait_timeout=5,
        )
        return self

    def wait_for_server_disconnect(self, timeout: float = 5.0) -> Any:
        """Waits for the server's DISCONNECT on `/` (`1` after the message type) to arrive
        and returns the reason of the client's `disconnect` event, or None when the client
        dropped it.

        python-socketio 5.18 handles every message on a thread of its own and ignores a
        DISCONNECT handled before connect() has set `connected` (which it does only as it
        returns). A gateway that answers CONNECT, error and DISCONNECT within microseconds
        wins that race about one time in a hundred, and the client then never reports the
        disconnect: a client bug, since the packets reached it in order. The packet itself
        is what the gateway owes; the event is checked whenever the client raised it.
        """
        deadline = time.monotonic() + timeout
        with self.condition:
            while "1" not in self.messages:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no DISCONNECT within {timeout}s; got {self.messages}")
                self.condition.wait(remaining)
            # The event, if the client raises it, comes from the DISCONNECT's own thread.
            grace = time.monotonic() + 1.0
            while not any(name == "disconnect" for name, _ in self.events):
                remaining = grace - time.monotonic()
                if remaining <= 0:
                    return None
                self.condition.wait(remaining)
            return next(arguments for name, arguments in self.events if name == "disconnect")[0]

    def names(self) -> list[str]:
        with self.condition:
            return [name for name, _ in self.events]

    def all(self, name: str) -> list[tuple[Any, ...]]:
        with self.condition:
            return [arguments for event, arguments in self.events if event == name]

    def wait_for(
        self, name: str, timeout: float = 5.0, where: Callable[..., bool] = lambda *_: True
    ) -> tuple[Any, ...]:
        """Arguments of the first `name` event matching `where`, waiting up to `timeout`."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while True:
                for event, arguments in self.events:
                    if event == name and where(*arguments):
                        return arguments
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no '{name}' event within {timeout}s; got {self.names()}")
                self.condition.wait(remaining)

    def transport(self) -> str | None:
        return self.client.eio.current_transport if self.client.eio else None

    def wait_transport(self, name: str, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while self.transport() != name:
            if time.monotonic() > deadline:
                raise AssertionError(f"transport stayed {self.transport()}, expected {name}")
            time.sleep(0.02)

    def emit(self, event: str, data: Any) -> None:
        self.client.emit(event, data)

    def call(self, event: str, data: Any, timeout: float = 5.0) -> Any:
        """Emits with an ack callback and returns what the ack carried."""
        return self.client.call(event, data, timeout=timeout)

    def disconnect(self, wait: float = 2.0) -> None:
        """Graceful client disconnect, not waited for longer than `wait` seconds.

        python-engineio's polling client blocks in disconnect() until its pending GET
        returns; a server that does not release that GET on close would stall the test.
        """
        worker = threading.Thread(target=self.client.disconnect, daemon=True)
        worker.start()
        worker.join(wait)

    def close(self) -> None:
        try:
            if self.client.connected:
                self.disconnect(wait=0.2)
            else:
                self.client.shutdown()
        except Exception:  # noqa: BLE001 - best effort at teardown
            pass

"""A raw Socket.IO session over WebSocket whose frames a thread collects, in wire order.

Used where a test needs exact frames from many sockets at once (offsets, recovery with a
`pid`, a node dying under the socket): python-socketio hides the offsets' order and does not
send a `pid`.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any, Callable

from support.raw import Closed, RawSocket, open_packet


class ListeningSocket:
    """Opens Engine.IO on `ws_base`, sends CONNECT with `auth`, and records every frame after
    the open packet (pings are answered and not recorded)."""

    def __init__(self, ws_base: str, auth: dict[str, Any]) -> None:
        self.socket = RawSocket(f"{ws_base}/socket.io/?EIO=4&transport=websocket")
        self.opened = open_packet(self.socket.receive())
        self.frames: list[str] = []
        self.closed = False
        self.condition = threading.Condition()
        self.socket.send("40" + json.dumps(auth, separators=(",", ":")))
        self.thread = threading.Thread(target=self.read, daemon=True)
        self.thread.start()

    @property
    def engine_sid(self) -> str:
        return str(self.opened["sid"])

    def read(self) -> None:
        while True:
            try:
                frame = self.socket.receive(timeout=3600)
            except (Closed, TimeoutError, OSError):
                break
            if frame == "2":
                try:
                    self.socket.send("3")
                except Exception:  # noqa: BLE001 - the socket died under us: reading ends
                    break
                continue
            if isinstance(frame, str):
                with self.condition:
                    self.frames.append(frame)
                    self.condition.notify_all()
        with self.condition:
            self.closed = True
            self.condition.notify_all()

    def wait(self, ready: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
        """Waits until `ready()` (called under the lock) is true."""
        with self.condition:
            if not self.condition.wait_for(ready, timeout):
                raise AssertionError(f"{what} within {timeout}s; frames: {self.frames[-20:]}")

    def handshake(self, timeout: float = 10.0) -> dict[str, Any]:
        """The CONNECT reply `40{"sid","pid"}`."""
        self.wait(lambda: any(frame.startswith("40") for frame in self.frames), "no CONNECT reply", timeout)
        with self.condition:
            return json.loads(next(frame for frame in self.frames if frame.startswith("40"))[2:])

    def events(self, name: str) -> list[list[Any]]:
        """Arguments of every `name` event so far, in wire order."""
        with self.condition:
            frames = list(self.frames)
        parsed = [json.loads(frame[2:]) for frame in frames if frame.startswith("42[")]
        return [event[1:] for event in parsed if event[0] == name]

    def wait_events(self, name: str, count: int, timeout: float = 10.0) -> list[list[Any]]:
        deadline = time.monotonic() + timeout
        while True:
            found = self.events(name)
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(found)} of {count} '{name}' events within {timeout}s: {self.frames[-20:]}")
            with self.condition:
                self.condition.wait(0.05)

    def wait_closed(self, timeout: float = 10.0) -> None:
        self.wait(lambda: self.closed, "the socket did not close", timeout)

    def close(self) -> None:
        self.socket.close()

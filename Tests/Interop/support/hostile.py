"""Helpers of the hostile-client suite (test_hostile_*.py): raw sockets that misbehave on
purpose, the gateway's resources read from /proc, and a well-behaved canary client.

Every hostile case runs against a real gateway process and checks two things besides its own
outcome: a normal client is still served (the canary gets a push), and the process's open
fds and resident memory come back to where they were (`HostileCase.finish`).
"""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

import requests

from support.clients import WEBSOCKET_ONLY, RecordingClient
from support.gateway import API_KEYS, Gateway
from support.tokens import new_user, user_token

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
MASK = bytes([0x37, 0xFA, 0x21, 0x3D])

# Figures the suite prints at the end (conftest's pytest_terminal_summary): RSS, fds, CPU.
REPORT: list[str] = []


def report(line: str) -> None:
    """Records a figure for the end-of-run summary."""
    REPORT.append(line)


def wait_until(predicate: Callable[[], bool], timeout: float, interval: float = 0.02) -> bool:
    """Polls `predicate` until it holds or `timeout` seconds pass; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


class ProcessProbe:
    """Reads one process's resources from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def rss_kb(self) -> int:
        """VmRSS in KiB."""
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def fds(self) -> int:
        """Open file descriptors."""
        return len(os.listdir(f"/proc/{self.pid}/fd"))

    def cpu_seconds(self) -> float:
        """User + system CPU time so far (utime + stime of /proc/<pid>/stat)."""
        with open(f"/proc/{self.pid}/stat") as stat:
            # The command name may hold spaces; fields are counted after its closing ')'.
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


# --- REST, one connection per call (hostile gateways close idle keep-alive quickly) ---------


def rest(gateway: Gateway, method: str, path: str, body: Any = None, timeout: float = 10) -> requests.Response:
    headers = {"Authorization": f"Bearer {API_KEYS[0]}", "Connection": "close"}
    data = None
    if body is not None:
        data = json.dumps(body, separators=(",", ":")).encode()
        headers["Content-Type"] = "application/json"
    return requests.request(method, f"{gateway.url}{path}", data=data, headers=headers, timeout=timeout)


def push(gateway: Gateway, user_id: str, event: str, message: Any) -> bool:
    """POST /api/gateway/send; True when the user was connected."""
    response = rest(gateway, "POST", "/api/gateway/send", {"userId": user_id, "event": event, "message": message})
    assert response.status_code == 201, response.text
    return bool(response.json()["success"])


def is_connected(gateway: Gateway, user_id: str) -> bool:
    response = rest(gateway, "GET", f"/api/gateway/status/{user_id}")
    assert response.status_code == 200, response.text
    return bool(response.json()["connected"])


def healthy(gateway: Gateway, timeout: float = 5.0) -> bool:
    """GET /healthz on a fresh connection answers 200."""
    try:
        return requests.get(f"{gateway.url}/healthz", timeout=timeout).status_code == 200
    except requests.RequestException:
        return False


# --- raw TCP / HTTP -------------------------------------------------------------------------


def connect(gateway: Gateway, timeout: float = 5.0, receive_buffer: int | None = None) -> socket.socket:
    """A plain TCP connection to the gateway; `receive_buffer` shrinks SO_RCVBUF first."""
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if receive_buffer is not None:
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    raw.settimeout(timeout)
    raw.connect(("127.0.0.1", gateway.port))
    return raw


def read_until_close(raw: socket.socket, timeout: float = 5.0, limit: int = 1 << 20) -> tuple[bytes, bool]:
    """Everything until the peer closes; returns (bytes, closed). A reset counts as closed."""
    raw.settimeout(timeout)
    chunks = []
    total = 0
    try:
        while total < limit:
            chunk = raw.recv(65536)
            if not chunk:
                return b"".join(chunks), True
            chunks.append(chunk)
            total += len(chunk)
    except (ConnectionResetError, BrokenPipeError):
        return b"".join(chunks), True
    except socket.timeout:
        pass
    return b"".join(chunks), False


def read_response(raw: socket.socket, timeout: float = 5.0) -> tuple[int, dict[str, str], bytes]:
    """One HTTP response (Content-Length framed, or up to close); status 0 if none came."""
    raw.settimeout(timeout)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = raw.recv(65536)
            if not chunk:
                break
            data += chunk
    except (ConnectionResetError, socket.timeout):
        pass
    if b"\r\n\r\n" not in data:
        return 0, {}, data
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    try:
        while len(body) < length:
            chunk = raw.recv(65536)
            if not chunk:
                break
            body += chunk
    except (ConnectionResetError, socket.timeout):
        pass
    return status, headers, body


def request_status(gateway: Gateway, raw_request: bytes, timeout: float = 5.0) -> int:
    """Sends raw bytes on a fresh connection; the status of the answer (0: none)."""
    with connect(gateway, timeout) as raw:
        raw.sendall(raw_request)
        return read_response(raw, timeout)[0]


# --- raw WebSocket --------------------------------------------------------------------------


def frame(opcode: int, payload: bytes, fin: bool = True, masked: bool = True, rsv: int = 0) -> bytes:
    """One client frame, masked with a fixed key unless `masked` is false."""
    head = bytes([(0x80 if fin else 0) | rsv << 4 | opcode])
    mask_bit = 0x80 if masked else 0
    if len(payload) <= 125:
        head += bytes([mask_bit | len(payload)])
    elif len(payload) <= 0xFFFF:
        head += bytes([mask_bit | 126]) + struct.pack(">H", len(payload))
    else:
        head += bytes([mask_bit | 127]) + struct.pack(">Q", len(payload))
    if not masked:
        return head + payload
    return head + MASK + bytes(byte ^ MASK[index % 4] for index, byte in enumerate(payload))


class RawWebSocket:
    """A WebSocket on a plain socket, so tests can send what no library would."""

    def __init__(self, gateway: Gateway, query: str = "EIO=4&transport=websocket", receive_buffer: int | None = None):
        self.socket = connect(gateway, receive_buffer=receive_buffer)
        key = base64.b64encode(uuid.uuid4().bytes).decode()
        self.socket.sendall(
            (
                f"GET /socket.io/?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.socket.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the WebSocket handshake")
            self.buffer += chunk
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        status = int(head.split(b" ", 2)[1])
        if status != 101:
            raise ConnectionError(f"upgrade refused with {status}")

    def send_raw(self, data: bytes) -> None:
        self.socket.sendall(data)

    def send_text(self, text: str) -> None:
        self.socket.sendall(frame(1, text.encode()))

    def receive_frame(self, timeout: float = 5.0) -> tuple[int, bytes] | None:
        """(opcode, payload) of the next frame, or None when the peer closed the TCP stream."""
        self.socket.settimeout(timeout)
        while True:
            parsed = self._parse()
            if parsed is not None:
                return parsed
            try:
                chunk = self.socket.recv(65536)
            except (ConnectionResetError, BrokenPipeError):
                return None
            if not chunk:
                return None
            self.buffer += chunk

    def _parse(self) -> tuple[int, bytes] | None:
        if len(self.buffer) < 2:
            return None
        opcode = self.buffer[0] & 0x0F
        length = self.buffer[1] & 0x7F
        offset = 2
        if length == 126:
            if len(self.buffer) < 4:
                return None
            length = struct.unpack(">H", self.buffer[2:4])[0]
            offset = 4
        elif length == 127:
            if len(self.buffer) < 10:
                return None
            length = struct.unpack(">Q", self.buffer[2:10])[0]
            offset = 10
        if len(self.buffer) < offset + length:
            return None
        payload = self.buffer[offset : offset + length]
        self.buffer = self.buffer[offset + length :]
        return opcode, payload

    def receive_text(self, timeout: float = 5.0) -> str:
        """The next text frame, skipping Engine.IO pings (answered) and control frames."""
        deadline = time.monotonic() + timeout
        while True:
            received = self.receive_frame(max(0.01, deadline - time.monotonic()))
            if received is None:
                raise ConnectionError("closed")
            opcode, payload = received
            if opcode == 8:
                raise ConnectionError(f"close frame {payload[:2].hex()}")
            if opcode != 1:
                continue
            if payload == b"2":
                self.send_text("3")
                continue
            return payload.decode()

    def close_code(self, timeout: float = 5.0) -> int | None:
        """Reads until the server's close frame; its code (None: TCP closed without one)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            received = self.receive_frame(max(0.01, deadline - time.monotonic()))
            if received is None:
                return None
            opcode, payload = received
            if opcode == 8:
                return struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else 1005
        raise TimeoutError("no close frame")

    def closed_within(self, timeout: float) -> bool:
        """True when the server ends the connection (close frame or EOF) within `timeout`."""
        try:
            self.close_code(timeout)
            return True
        except (TimeoutError, socket.timeout):
            return False

    def close(self) -> None:
        try:
            self.socket.close()
        except OSError:
            pass


def socketio_session(gateway: Gateway, token: str | None, receive_buffer: int | None = None) -> tuple[RawWebSocket, str]:
    """A raw WebSocket Socket.IO session: open, CONNECT with `token`; returns the socket and
    the first event after the CONNECT reply (`connected` or `error`)."""
    ws = RawWebSocket(gateway, receive_buffer=receive_buffer)
    opened = ws.receive_text()
    assert opened.startswith("0{"), opened
    ws.send_text("40" if token is None else "40" + json.dumps({"token": token}))
    reply = ws.receive_text()
    assert reply.startswith("40"), reply
    return ws, ws.receive_text()


# --- the canary and the per-case resource check ---------------------------------------------


@dataclass
class HostileCase:
    """One hostile case on `gateway`: a canary client, and the resources before the case."""

    gateway: Gateway
    probe: ProcessProbe
    name: str
    baseline_fds: int = 0
    baseline_rss_kb: int = 0
    peak_rss_kb: int = 0
    canary_user: str = field(default_factory=lambda: new_user("canary"))
    canary: RecordingClient | None = None

    def start(self) -> "HostileCase":
        self.canary = RecordingClient().connect(
            self.gateway.url, token=user_token(self.canary_user), transports=WEBSOCKET_ONLY
        )
        self.canary.wait_for("connected")
        settle(self.probe)
        self.baseline_fds = self.probe.fds()
        self.baseline_rss_kb = self.probe.rss_kb()
        self.peak_rss_kb = self.baseline_rss_kb
        return self

    def sample(self) -> None:
        """Notes the current RSS (call during the attack)."""
        self.peak_rss_kb = max(self.peak_rss_kb, self.probe.rss_kb())

    def assert_serving(self) -> None:
        """The gateway answers /healthz and delivers a push to the canary."""
        assert healthy(self.gateway), f"{self.name}: /healthz did not answer 200"
        assert self.canary is not None
        marker = uuid.uuid4().hex
        assert push(self.gateway, self.canary_user, "canary", {"marker": marker}), "canary unregistered"
        self.canary.wait_for("canary", timeout=10, where=lambda message, *_: message.get("marker") == marker)

    def finish(self, fd_slack: int = 2, rss_slack_kb: int = 16 * 1024) -> None:
        """Asserts the canary is served and fds/RSS are back near the baseline; reports."""
        self.sample()
        self.assert_serving()
        fds_ok = wait_until(lambda: self.probe.fds() <= self.baseline_fds + fd_slack, timeout=15, interval=0.05)
        fds = self.probe.fds()
        limit = self.baseline_rss_kb + max(self.baseline_rss_kb // 20, rss_slack_kb)
        # Connections of the case may still be finishing: RSS is judged once they have, or after 5 s.
        wait_until(lambda: self.probe.rss_kb() <= limit, timeout=5, interval=0.1)
        rss = self.probe.rss_kb()
        report(
            f"{self.name}: fds {self.baseline_fds} -> {fds}; RSS {self.baseline_rss_kb // 1024} MiB, "
            f"peak {self.peak_rss_kb // 1024} MiB, after {rss // 1024} MiB"
        )
        assert fds_ok, f"{self.name}: {fds} fds open, {self.baseline_fds} before the case"
        assert rss <= limit, f"{self.name}: RSS {rss} KiB after the case, {self.baseline_rss_kb} KiB before"

    def close(self) -> None:
        if self.canary is not None:
            self.canary.close()


def settle(probe: ProcessProbe, quiet: float = 0.3, timeout: float = 10.0) -> None:
    """Waits until the fd count stops changing for `quiet` seconds (connections of the
    previous case finishing), at most `timeout`."""
    deadline = time.monotonic() + timeout
    last = probe.fds()
    stable_since = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        current = probe.fds()
        if current != last:
            last = current
            stable_since = time.monotonic()
        elif time.monotonic() - stable_since >= quiet:
            return

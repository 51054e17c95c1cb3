"""A thousand malformed or truncated HTTP requests of varied kinds, 32 at a time, half of
them followed by a half-close: each is answered (4xx/5xx, 408 when it never completes, or
1xx/2xx when a mutation happened to stay valid) and closed, or just closed when the client
hung up mid-request; none hangs; the gateway goes on serving with its fds back at the
baseline."""

from __future__ import annotations

import random
import socket
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from support.hostile import HostileCase, connect, read_until_close, report

pytestmark = [pytest.mark.hostile, pytest.mark.gateway_only]

COUNT = 1000
VALID = [
    b"GET /socket.io/?EIO=4&transport=polling&t=N8hyd6w HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n",
    b"POST /socket.io/?EIO=4&transport=polling&sid=AAAAAAAAAAAAAAAAAAAA HTTP/1.1\r\nHost: x\r\n"
    b"Content-Type: text/plain;charset=UTF-8\r\nContent-Length: 6\r\n\r\n42[\"a\"]",
    b"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
    b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    b"POST /api/gateway/send HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer nope\r\n"
    b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n2\r\n1}\r\n0\r\n\r\n",
    b"OPTIONS /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\nOrigin: http://a\r\n"
    b"Access-Control-Request-Method: POST\r\n\r\n",
]
FIXED = [
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",  # a TLS ClientHello on the plain port
    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",  # the HTTP/2 preface
    b"GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
    b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
    b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
    b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcdeXX",
    b"GET /socket.io/?EIO=3&transport=polling HTTP/1.1\r\n\r\n",
    b"GET /socket.io/?EIO=4&transport=carrier-pigeon HTTP/1.1\r\n\r\n",
    b"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 8\r\n\r\n",
    b"GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nOrigin: a\x7fb\r\n\r\n",
    b"DELETE /api/gateway/send HTTP/1.1\r\n\r\n",
    b"GET /%%%%%%%%?%%%%=%% HTTP/1.1\r\n\r\n",
    b"GET http://[::1 HTTP/1.1\r\n\r\n",
    b"\r\n\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\n\tfolded\r\n\r\n",
    b"G\x00T / HTTP/1.1\r\n\r\n",
]


def malformed(generator: random.Random) -> tuple[str, bytes]:
    """One hostile request and the name of its kind."""
    kind = generator.choice(["garbage", "truncated", "mutated", "fixed", "binary-in-head"])
    if kind == "garbage":
        return kind, bytes(generator.randrange(256) for _ in range(generator.randint(1, 600)))
    base = generator.choice(VALID)
    if kind == "truncated":
        return kind, base[: generator.randint(1, len(base) - 1)]
    if kind == "mutated":
        data = bytearray(base)
        for _ in range(generator.randint(1, 4)):
            position = generator.randrange(len(data))
            choice = generator.random()
            if choice < 0.4:
                data[position] = generator.choice(b"\r\n :;\x00\x7f\xff0f")
            elif choice < 0.7:
                del data[position]
            else:
                data[position:position] = data[position : position + generator.randint(1, 30)]
        return kind, bytes(data)
    if kind == "fixed":
        return kind, generator.choice(FIXED)
    head_end = base.index(b"\r\n") + 2
    return kind, base[:head_end] + b"X-Junk: " + bytes(generator.randrange(0x80, 256) for _ in range(20)) + b"\r\n\r\n"


def attempt(gateway, kind: str, data: bytes, half_close: bool) -> tuple[str, str, bool]:
    """Sends, optionally half-closes, and reads until the server closes."""
    try:
        with connect(gateway) as raw:
            try:
                raw.sendall(data)
                if half_close:
                    raw.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            answer, closed = read_until_close(raw, timeout=10)
    except OSError as error:
        return kind, f"connect failed: {error}", False
    status = answer.split(b" ", 2)[1].decode("latin-1", "replace") if answer.startswith(b"HTTP/1.1 ") else "none"
    return kind, status, closed


def test_a_thousand_malformed_requests_leave_the_gateway_serving(hostile: HostileCase) -> None:
    generator = random.Random(0x6D616C66)
    cases = [(*malformed(generator), index % 2 == 0) for index in range(COUNT)]
    with ThreadPoolExecutor(max_workers=32) as pool:
        futures = [pool.submit(attempt, hostile.gateway, kind, data, half) for kind, data, half in cases]
        for index, future in enumerate(futures):
            if index % 100 == 0:
                hostile.sample()
        outcomes = [future.result() for future in futures]
    statuses = Counter(status for _, status, _ in outcomes)
    report(f"{COUNT} malformed requests, answers: {dict(sorted(statuses.items()))}")
    hung = [(kind, status) for kind, status, closed in outcomes if not closed]
    assert not hung, f"{len(hung)} connections were neither answered nor closed: {hung[:5]}"
    odd = [status for status in statuses if status != "none" and not status[:1] in "12345"]
    assert not odd, f"answers that are not HTTP statuses: {odd}"
    assert statuses["500"] == 0, "a malformed request caused an internal error"
    # Only a client that hung up mid-request goes unanswered (there is nobody to answer).
    silent = [kind for (kind, status, _), (_, _, half) in zip(outcomes, cases) if status == "none" and not half]
    assert not silent, f"requests closed without an answer: {Counter(silent)}"
    hostile.finish()

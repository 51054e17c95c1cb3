"""Oversized input: heads (431/414), REST bodies (413), WebSocket messages (close 1009),
polling payloads (413 and the session closed), binary attachment counts (> 10: session
closed), JSON nesting. Limits of the hostile gateway: 8 KiB heads, 2 KiB targets, 100 000-byte
bodies and messages (conftest HOSTILE); 512 levels of JSON (the default)."""

from __future__ import annotations

import json

import pytest
import requests

from support.gateway import API_KEYS
from support.hostile import (
    HostileCase,
    RawWebSocket,
    connect,
    frame,
    is_connected,
    read_response,
    read_until_close,
    request_status,
    socketio_session,
    wait_until,
)
from support.raw import Polling
from support.tokens import new_user, user_token

pytestmark = [pytest.mark.hostile, pytest.mark.gateway_only]

MAX_HEADER = 8192
MAX_URL = 2048
MAX_BODY = 100_000
MAX_PAYLOAD = 100_000
AUTH = f"Authorization: Bearer {API_KEYS[0]}\r\n".encode()


def answered_and_closed(case: HostileCase, raw_request: bytes) -> tuple[int, bytes]:
    """Status and body of the answer to `raw_request`; asserts the connection is then closed."""
    with connect(case.gateway) as raw:
        try:
            raw.sendall(raw_request)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before reading everything we send
        status, _, body = read_response(raw)
        _, closed = read_until_close(raw)
    assert closed, "connection kept open after a refused request"
    return status, body


@pytest.mark.parametrize(
    ("name", "raw_request", "status"),
    [
        ("header line", b"GET /healthz HTTP/1.1\r\nX-Big: " + b"a" * MAX_HEADER + b"\r\n\r\n", 431),
        ("header count", b"GET /healthz HTTP/1.1\r\n" + b"X-A: b\r\n" * 101 + b"\r\n", 431),
        ("head never ends", b"GET /healthz HTTP/1.1\r\nX-Big: " + b"a" * (4 * MAX_HEADER), 431),
        ("target", b"GET /" + b"t" * (MAX_URL + 1) + b" HTTP/1.1\r\n\r\n", 414),
        (
            "content-length",
            b"POST /api/gateway/send HTTP/1.1\r\nHost: x\r\n" + AUTH + b"Content-Length: 100001\r\n\r\n",
            413,
        ),
        (
            "chunked body",
            b"POST /api/gateway/send HTTP/1.1\r\nHost: x\r\n"
            + AUTH
            + b"Transfer-Encoding: chunked\r\n\r\n"
            + b"8000\r\n"
            + b"x" * 0x8000
            + b"\r\n"
            + b"20000\r\n",
            413,
        ),
    ],
)
def test_oversized_request_is_refused_and_closed(
    hostile: HostileCase, name: str, raw_request: bytes, status: int
) -> None:
    assert answered_and_closed(hostile, raw_request)[0] == status, name
    hostile.finish()


def test_body_at_the_limit_is_read(hostile: HostileCase) -> None:
    """The limit is exact: a 100 000-byte body is parsed (here: 400, not JSON)."""
    body = b"x" * MAX_BODY
    raw_request = (
        b"POST /api/gateway/send HTTP/1.1\r\nHost: x\r\n"
        + AUTH
        + b"Content-Type: application/json\r\nConnection: close\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    assert request_status(hostile.gateway, raw_request) == 400
    hostile.finish()


@pytest.mark.parametrize("fragmented", [False, True], ids=["one frame", "fragments"])
def test_websocket_message_over_max_payload_closes_with_1009(hostile: HostileCase, fragmented: bool) -> None:
    ws = RawWebSocket(hostile.gateway)
    try:
        assert ws.receive_text().startswith("0{")
        payload = b"4" + b"y" * MAX_PAYLOAD
        if fragmented:
            half = len(payload) // 2
            ws.send_raw(frame(1, payload[:half], fin=False) + frame(0, payload[half:]))
        else:
            ws.send_raw(frame(1, payload))
        assert ws.close_code() == 1009
    finally:
        ws.close()
    hostile.finish()


def test_websocket_frame_header_claiming_huge_length_closes_with_1009(hostile: HostileCase) -> None:
    """The limit is checked on the header, before any payload is buffered."""
    ws = RawWebSocket(hostile.gateway)
    try:
        assert ws.receive_text().startswith("0{")
        ws.send_raw(bytes([0x82, 0xFF]) + (2**62).to_bytes(8, "big") + b"\x00\x00\x00\x00")
        assert ws.close_code() == 1009
    finally:
        ws.close()
    hostile.finish()


def test_polling_payload_over_max_payload_gets_413_and_closes_the_session(hostile: HostileCase) -> None:
    polling = Polling(hostile.gateway.url)
    sid, _ = polling.handshake()
    try:
        response = polling.post(sid, "4" + "y" * MAX_PAYLOAD)
    except requests.ConnectionError:
        response = None  # refused at the head; the reset may beat the 413 to us
    if response is not None:
        assert response.status_code == 413
    answer = polling.get(sid)
    assert answer.status_code == 400 and answer.json()["code"] == 1, answer.text
    hostile.finish()


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_more_than_ten_attachments_closes_the_session(hostile: HostileCase, transport: str) -> None:
    user = new_user("attachments")
    header = '4511-["message",{"_placeholder":true,"num":0}]'
    if transport == "websocket":
        ws, connected = socketio_session(hostile.gateway, user_token(user))
        try:
            assert connected.startswith('42["connected"')
            ws.send_text(header)
            assert ws.closed_within(5), "session kept after an 11-attachment header"
        finally:
            ws.close()
    else:
        polling = Polling(hostile.gateway.url)
        sid, _ = polling.handshake()
        assert polling.post(sid, "40" + json.dumps({"token": user_token(user)})).text == "ok"
        assert '42["connected"' in polling.get(sid).text
        polling.post(sid, header + "\x1e" + "bAQID")
        answer = polling.get(sid)
        # The POST is handled before it is answered, so the session is usually gone already.
        closed = answer.text.endswith("1") or (answer.status_code == 400 and answer.json()["code"] == 1)
        assert closed, f"session kept after an 11-attachment header: {answer.status_code} {answer.text}"
    assert wait_until(lambda: not is_connected(hostile.gateway, user), timeout=5)
    hostile.finish()


def test_ten_attachments_of_max_size_are_accepted_and_released(hostile: HostileCase) -> None:
    """The most one binary packet may make the gateway hold: 10 x maxPayload."""
    user = new_user("attachments")
    ws, _ = socketio_session(hostile.gateway, user_token(user))
    try:
        placeholders = ",".join('{"_placeholder":true,"num":%d}' % number for number in range(10))
        ws.send_text(f'4510-["other",[{placeholders}]]')
        for _ in range(10):
            ws.send_raw(frame(2, b"\x00" * (MAX_PAYLOAD - 1)))
        hostile.sample()
        ws.send_text('42["message",{"message":"still here"}]')
        reply = ws.receive_text(timeout=10)
        assert reply.startswith('42["messageReceived"') and "still here" in reply, reply
    finally:
        ws.close()
    hostile.finish()


def test_json_nested_deeper_than_the_limit_is_refused(hostile: HostileCase) -> None:
    user = new_user("deep")
    deep = "[" * 600 + "]" * 600
    ws, _ = socketio_session(hostile.gateway, user_token(user))
    try:
        ws.send_text(f'42["message",{deep}]')
        assert ws.closed_within(5), "session kept after a 600-deep payload"
    finally:
        ws.close()
    body = ('{"userId":"x","event":"e","message":' + deep + "}").encode()
    raw_request = (
        b"POST /api/gateway/send HTTP/1.1\r\nHost: x\r\n"
        + AUTH
        + b"Content-Type: application/json\r\nConnection: close\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    assert request_status(hostile.gateway, raw_request) == 400
    hostile.finish()

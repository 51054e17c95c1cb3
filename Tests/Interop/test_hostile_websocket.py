"""Frames that break RFC 6455, sent on an authenticated Socket.IO session: each closes the
connection with the right code (1002 protocol error, 1007 invalid UTF-8) and unregisters the
user; valid close codes are echoed."""

from __future__ import annotations

import struct

import pytest

from support.hostile import HostileCase, frame, is_connected, socketio_session, wait_until
from support.tokens import new_user, user_token

pytestmark = [pytest.mark.hostile, pytest.mark.gateway_only]


def close_payload(code: int, reason: bytes = b"") -> bytes:
    return struct.pack(">H", code) + reason


VIOLATIONS = {
    "invalid UTF-8 text": (frame(1, b'42["message","\xff\xfe"]'), 1007),
    "UTF-8 cut between fragments": (frame(1, b"42\xe2\x82", fin=False) + frame(0, b"x"), 1007),
    "overlong UTF-8": (frame(1, b"4\xc0\xaf"), 1007),
    "UTF-16 surrogate in UTF-8": (frame(1, b"4\xed\xa0\x80"), 1007),
    "close reason not UTF-8": (frame(8, close_payload(1000, b"\xff")), 1007),
    "unmasked text": (frame(1, b"40", masked=False), 1002),
    "unmasked ping": (frame(9, b"", masked=False), 1002),
    "RSV1 without extension": (frame(1, b"40", rsv=4), 1002),
    "RSV3": (frame(2, b"x", rsv=1), 1002),
    "continuation without a message": (frame(0, b"x"), 1002),
    "text inside a fragmented message": (frame(1, b"4", fin=False) + frame(1, b"2"), 1002),
    "fragmented ping": (frame(9, b"p", fin=False), 1002),
    "fragmented close": (frame(8, close_payload(1000), fin=False), 1002),
    "ping over 125 bytes": (frame(9, b"p" * 126), 1002),
    "close with 1-byte payload": (frame(8, b"\x03"), 1002),
    "length with the high bit set": (bytes([0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1]) + b"\x00" * 4, 1002),
}
for opcode in (3, 4, 5, 6, 7, 11, 12, 13, 14, 15):
    VIOLATIONS[f"reserved opcode {opcode:#x}"] = (frame(opcode, b"x"), 1002)
for code in (0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535):
    VIOLATIONS[f"close code {code}"] = (frame(8, close_payload(code)), 1002)


@pytest.mark.parametrize("name", VIOLATIONS)
def test_protocol_violation_closes_with_its_code_and_unregisters(hostile: HostileCase, name: str) -> None:
    data, expected = VIOLATIONS[name]
    user = new_user("ws")
    ws, connected = socketio_session(hostile.gateway, user_token(user))
    try:
        assert connected.startswith('42["connected"'), connected
        ws.send_raw(data)
        assert ws.close_code() == expected, name
    finally:
        ws.close()
    assert wait_until(lambda: not is_connected(hostile.gateway, user), timeout=5), "still registered"
    hostile.finish()


@pytest.mark.parametrize("code", [1000, 1001, 1003, 1011, 3000, 4999])
def test_valid_close_code_is_echoed(hostile: HostileCase, code: int) -> None:
    user = new_user("ws")
    ws, _ = socketio_session(hostile.gateway, user_token(user))
    try:
        ws.send_raw(frame(8, close_payload(code, b"bye")))
        assert ws.close_code() == code
    finally:
        ws.close()
    assert wait_until(lambda: not is_connected(hostile.gateway, user), timeout=5)
    hostile.finish()


def test_ping_flood_is_answered_and_harmless(hostile: HostileCase) -> None:
    """5 000 WebSocket pings in one write: each gets its pong, the session stays."""
    user = new_user("ws")
    ws, _ = socketio_session(hostile.gateway, user_token(user))
    try:
        ws.send_raw(frame(9, b"ping") * 5000)
        pongs = 0
        while pongs < 5000:
            received = ws.receive_frame(timeout=10)
            assert received is not None, f"closed after {pongs} pongs"
            if received[0] == 10:
                pongs += 1
        hostile.sample()
        assert is_connected(hostile.gateway, user)
    finally:
        ws.close()
    hostile.finish()

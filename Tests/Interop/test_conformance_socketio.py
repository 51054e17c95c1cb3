"""Port of socket.io's Socket.IO v5 protocol test suite (its Socket.IO part), run against
`gateway --conformance`: handlers on `/` and `/custom` as CONFORMANCE.md describes.

The suite's own client never answers pings; these ports answer them where the case is not
about heartbeats, which removes a race with the 500 ms ping timeout and changes nothing else.
"""

from __future__ import annotations

import json

import pytest

from support.conformance import CLOSE_WAIT, PING_INTERVAL, PING_TIMEOUT
from support.gateway import Gateway
from support.raw import RawSocket, engineio_socket

pytestmark = [pytest.mark.conformance, pytest.mark.gateway_only]

PLACEHOLDERS = '{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}'


def connected_socket(gateway: Gateway) -> RawSocket:
    """WebSocket session joined to `/`, past the CONNECT reply and the `auth` event."""
    socket, _ = engineio_socket(gateway.ws_url)
    socket.send("40")
    assert socket.receive_skipping_pings().startswith("40")
    assert socket.receive_skipping_pings() == '42["auth",{}]'
    return socket


def connect_reply_sid(frame: str | bytes, prefix: str) -> str:
    assert isinstance(frame, str) and frame.startswith(prefix), frame
    handshake = json.loads(frame[len(prefix) :])
    assert set(handshake) == {"sid"}, handshake
    assert isinstance(handshake["sid"], str) and handshake["sid"]
    return handshake["sid"]


@pytest.mark.parametrize(
    ("connect", "reply_prefix", "auth_event"),
    [
        ("40", "40", '42["auth",{}]'),
        ('40{"token":"123"}', "40", '42["auth",{"token":"123"}]'),
        ("40/custom,", "40/custom,", '42/custom,["auth",{}]'),
        ('40/custom,{"token":"abc"}', "40/custom,", '42/custom,["auth",{"token":"abc"}]'),
    ],
    ids=["main", "main_with_payload", "custom", "custom_with_payload"],
)
def test_connect_to_namespace(conformance_gateway: Gateway, connect: str, reply_prefix: str, auth_event: str) -> None:
    socket, opened = engineio_socket(conformance_gateway.ws_url)
    try:
        socket.send(connect)
        sid = connect_reply_sid(socket.receive_skipping_pings(), reply_prefix)
        assert sid != opened["sid"], "the socket id must not be the Engine.IO session id"
        assert socket.receive_skipping_pings() == auth_event
    finally:
        socket.close()


def test_connect_to_unknown_namespace_is_refused(conformance_gateway: Gateway) -> None:
    socket, _ = engineio_socket(conformance_gateway.ws_url)
    try:
        socket.send("40/random")
        assert socket.receive_skipping_pings() == '44/random,{"message":"Invalid namespace"}'
    finally:
        socket.close()


def test_invalid_handshake_closes_session(conformance_gateway: Gateway) -> None:
    socket, _ = engineio_socket(conformance_gateway.ws_url)
    try:
        socket.send("4abc")
        assert socket.closes_within(CLOSE_WAIT, answer_pings=True)
    finally:
        socket.close()


def test_session_without_connect_is_closed(conformance_gateway: Gateway) -> None:
    socket, _ = engineio_socket(conformance_gateway.ws_url)
    try:
        assert socket.closes_within(PING_INTERVAL + PING_TIMEOUT + CLOSE_WAIT)
    finally:
        socket.close()


def test_leaving_main_namespace_keeps_session_open(conformance_gateway: Gateway) -> None:
    socket = connected_socket(conformance_gateway)
    try:
        socket.send("41")
        assert socket.receive(timeout=PING_INTERVAL + CLOSE_WAIT) == "2"
    finally:
        socket.close()


def test_connect_then_leave_custom_namespace(conformance_gateway: Gateway) -> None:
    socket = connected_socket(conformance_gateway)
    try:
        assert socket.receive(timeout=PING_INTERVAL + CLOSE_WAIT) == "2"
        socket.send("3")
        socket.send("40/custom")
        connect_reply_sid(socket.receive_skipping_pings(), "40/custom,")
        assert socket.receive_skipping_pings() == '42/custom,["auth",{}]'
        socket.send("41/custom")
        socket.send('42["message","message to main namespace"]')
        assert socket.receive_skipping_pings() == '42["message-back","message to main namespace"]'
    finally:
        socket.close()


def test_plain_event_is_echoed(conformance_gateway: Gateway) -> None:
    socket = connected_socket(conformance_gateway)
    try:
        socket.send('42["message",1,"2",{"3":[true]}]')
        assert socket.receive_skipping_pings() == '42["message-back",1,"2",{"3":[true]}]'
    finally:
        socket.close()


def test_binary_event_is_echoed_with_attachments(conformance_gateway: Gateway) -> None:
    socket = connected_socket(conformance_gateway)
    try:
        socket.send(f'452-["message",{PLACEHOLDERS}]')
        socket.send(bytes([1, 2, 3]))
        socket.send(bytes([4, 5, 6]))
        assert socket.receive_skipping_pings() == f'452-["message-back",{PLACEHOLDERS}]'
        assert socket.receive_skipping_pings() == bytes([1, 2, 3])
        assert socket.receive_skipping_pings() == bytes([4, 5, 6])
    finally:
        socket.close()


def test_event_with_ack_is_acknowledged(conformance_gateway: Gateway) -> None:
    socket = connected_socket(conformance_gateway)
    try:
        socket.send('42456["message-with-ack",1,"2",{"3":[false]}]')
        assert socket.receive_skipping_pings() == '43456[1,"2",{"3":[false]}]'
    finally:
        socket.close()


def test_binary_event_with_ack_gets_binary_ack(conformance_gateway: Gateway) -> None:
    socket = connected_socket(conformance_gateway)
    try:
        socket.send(f'452-789["message-with-ack",{PLACEHOLDERS}]')
        socket.send(bytes([1, 2, 3]))
        socket.send(bytes([4, 5, 6]))
        assert socket.receive_skipping_pings() == f"462-789[{PLACEHOLDERS}]"
        assert socket.receive_skipping_pings() == bytes([1, 2, 3])
        assert socket.receive_skipping_pings() == bytes([4, 5, 6])
    finally:
        socket.close()


@pytest.mark.parametrize(
    "packet",
    ["4abc", "42{}", '42abc["message-with-ack",1,"2",{"3":[false]}]'],
    ids=["unknown_packet_type", "payload_not_array", "invalid_ack_id"],
)
def test_invalid_packet_closes_session(conformance_gateway: Gateway, packet: str) -> None:
    socket = connected_socket(conformance_gateway)
    try:
        socket.send(packet)
        assert socket.closes_within(CLOSE_WAIT, answer_pings=True)
    finally:
        socket.close()

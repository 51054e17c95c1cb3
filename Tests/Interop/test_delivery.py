"""Pushes and replies arrive once, unchanged, byte for byte, on every socket of the user."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest

from support.clients import POLLING_ONLY, WEBSOCKET_ONLY, RecordingClient
from support.gateway import Gateway
from support.raw import RawSocket, socketio_connect, without_offset
from support.rest import Rest, compact
from support.tokens import new_user, user_token

TIMESTAMP = r'"timestamp":"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"'


def deep(levels: int) -> Any:
    value: Any = "bottom"
    for level in range(levels):
        value = {f"level{level}": [value]}
    return value


MESSAGES: dict[str, Any] = {
    "nested_key_order": {"z": 1, "a": {"y": [3, 2, 1], "b": {"c": None, "a": True}}, "m": False},
    "unicode": {"text": "héllo wörld — 日本語 😀 𝄞", "rtl": "שלום", "combining": "e\u0301"},
    "escapes": {
        "quote": '"',
        "backslash": "\\",
        "newline": "a\nb",
        "tab": "\t",
        "control": "\u0001\u001f",
        "slash": "a/b",
        "del": "\u007f",
        "separator": "\u2028",
    },
    "array": [1, "two", {"three": 3}, [4], None, True],
    "string": "just a string",
    "integers": [0, -17, 9007199254740991, 123456789012345],
    "null": None,
    "empty_object": {},
    "deep": deep(32),
    "seed_example": {"title": "New Message", "body": "You have a new message", "timestamp": "2026-02-07T10:00:00.000Z"},
}


def raw_connected(gateway: Gateway, user: str) -> RawSocket:
    """A raw WebSocket session of `user`, past its CONNECT reply and `connected` event."""
    socket, reply = socketio_connect(gateway.ws_url, auth={"token": user_token(user)})
    assert reply.startswith('40{"sid":"'), reply
    connected = socket.receive_skipping_pings()
    assert connected.startswith('42["connected",'), connected
    return socket


@pytest.mark.parametrize("name", MESSAGES)
def test_rest_push_reaches_raw_socket_as_exact_event_frame(gateway: Gateway, rest: Rest, name: str) -> None:
    user = new_user()
    socket = raw_connected(gateway, user)
    try:
        response = rest.send(user, "notification", MESSAGES[name])
        assert response.status_code == 201
        frame = socket.receive_skipping_pings()
        assert without_offset(frame) == '42["notification",' + compact(MESSAGES[name]).decode() + "]"
    finally:
        socket.close()


def test_rest_push_with_whitespace_in_body_is_forwarded_compact(gateway: Gateway, rest: Rest) -> None:
    user = new_user()
    socket = raw_connected(gateway, user)
    try:
        body = json.dumps({"userId": user, "event": "update", "message": {"b": [1, 2], "a": "x y"}}, indent=2)
        response = rest.post("/api/gateway/send", body.encode(), headers={"Content-Type": "application/json"})
        assert response.status_code == 201
        assert without_offset(socket.receive_skipping_pings()) == '42["update",{"b":[1,2],"a":"x y"}]'
    finally:
        socket.close()


@pytest.mark.parametrize("name", ["nested_key_order", "unicode", "escapes", "array", "null"])
def test_message_event_is_echoed_in_exact_message_received_frame(gateway: Gateway, name: str) -> None:
    socket = raw_connected(gateway, new_user())
    try:
        value = compact(MESSAGES[name]).decode()
        socket.send('42["message",{"message":' + value + "}]")
        frame = socket.receive_skipping_pings()
        expected = (
            re.escape(
                '42["messageReceived",{"success":true,"message":"Message received by server",'
                '"data":{"receivedMessage":' + value + ","
            )
            + TIMESTAMP
            + re.escape("}}]")
        )
        assert re.fullmatch(expected, frame), frame
    finally:
        socket.close()


def test_message_with_ack_id_gets_event_and_ack_frames(gateway: Gateway) -> None:
    socket = raw_connected(gateway, new_user())
    try:
        socket.send('4217["message",{"message":"acked"}]')
        frames = {socket.receive_skipping_pings(), socket.receive_skipping_pings()}
        body = (
            re.escape('{"success":true,"message":"Message received by server","data":{"receivedMessage":"acked",')
            + TIMESTAMP
            + re.escape("}}")
        )
        assert any(re.fullmatch(re.escape('42["messageReceived",') + body + r"\]", f) for f in frames), frames
        assert any(re.fullmatch(r"4317\[" + body + r"\]", f) for f in frames), frames
    finally:
        socket.close()


def test_binary_attachment_frames_are_echoed_exactly(gateway: Gateway) -> None:
    socket = raw_connected(gateway, new_user())
    try:
        socket.send('451-["message",{"message":{"_placeholder":true,"num":0}}]')
        socket.send(bytes([1, 2, 3, 4]))
        header = socket.receive_skipping_pings()
        expected = (
            re.escape(
                '451-["messageReceived",{"success":true,"message":"Message received by server",'
                '"data":{"receivedMessage":{"_placeholder":true,"num":0},'
            )
            + TIMESTAMP
            + re.escape("}}]")
        )
        assert re.fullmatch(expected, header), header
        assert socket.receive_skipping_pings() == bytes([1, 2, 3, 4])
    finally:
        socket.close()


@pytest.mark.parametrize("transports", [WEBSOCKET_ONLY, POLLING_ONLY], ids=["websocket", "polling"])
def test_binary_message_round_trips_through_python_client(
    gateway: Gateway, clients: list[RecordingClient], transports: list[str]
) -> None:
    client = RecordingClient().connect(gateway.url, token=user_token(new_user()), transports=transports)
    clients.append(client)
    client.wait_for("connected")
    blob = bytes(range(256)) * 4

    ack = client.call("message", {"message": blob})
    (event,) = client.wait_for("messageReceived")

    assert ack["data"]["receivedMessage"] == blob
    assert event["data"]["receivedMessage"] == blob


def test_send_reaches_every_socket_of_the_user_exactly_once(
    gateway: Gateway, rest: Rest, clients: list[RecordingClient]
) -> None:
    user, bystander = new_user("multi"), new_user("bystander")
    tabs = [
        RecordingClient().connect(gateway.url, token=user_token(user), transports=transports)
        for transports in (WEBSOCKET_ONLY, POLLING_ONLY)
    ]
    other = RecordingClient().connect(gateway.url, token=user_token(bystander))
    clients.extend([*tabs, other])
    for client in (*tabs, other):
        client.wait_for("connected")

    response = rest.send(user, "notification", {"n": 1}, persist=False)

    assert response.content == f'{{"success":true,"message":"Message sent to user {user}"}}'.encode()
    for tab in tabs:
        assert tab.wait_for("notification") == ({"n": 1},)
    time.sleep(0.2)  # a duplicate or a stray copy would have arrived by now
    assert [tab.all("notification") for tab in tabs] == [[({"n": 1},)], [({"n": 1},)]]
    assert other.all("notification") == []

    tabs[0].disconnect()
    time.sleep(0.1)
    assert rest.connected(user), "the user stays connected while one socket remains"
    rest.send(user, "notification", {"n": 2}, persist=False)
    assert tabs[1].wait_for("notification", where=lambda data: data == {"n": 2})

    tabs[1].disconnect()
    rest.wait_connected(user, False)
    response = rest.send(user, "notification", {"n": 3}, persist=False)
    assert response.status_code == 201
    assert response.content == f'{{"success":false,"message":"User {user} is not connected"}}'.encode()


def test_send_many_reaches_each_listed_user(gateway: Gateway, rest: Rest, clients: list[RecordingClient]) -> None:
    users = [new_user("many") for _ in range(3)]
    offline, unlisted = new_user("offline"), new_user("unlisted")
    listeners = [RecordingClient().connect(gateway.url, token=user_token(user)) for user in users]
    outsider = RecordingClient().connect(gateway.url, token=user_token(unlisted))
    clients.extend([*listeners, outsider])
    for client in (*listeners, outsider):
        client.wait_for("connected")

    response = rest.send_many([*users, offline], "announcement", {"title": "System Announcement"}, persist=False)

    assert response.status_code == 201
    body = response.json()
    assert body["success"] is True
    assert body["message"] == "Message sent to 4 users"
    assert body["userIds"] == [*users, offline]
    assert list(body)[:3] == ["success", "message", "userIds"]
    for listener in listeners:
        assert listener.wait_for("announcement") == ({"title": "System Announcement"},)
    time.sleep(0.2)
    assert outsider.all("announcement") == []

"""python-socketio's client connects on every transport and gets the seed's events."""

from __future__ import annotations

import re
import time

import pytest

from support.clients import POLLING_ONLY, POLLING_THEN_UPGRADE, WEBSOCKET_ONLY, RecordingClient
from support.gateway import Gateway
from support.rest import Rest
from support.tokens import mint, new_user, user_token

TRANSPORTS = {
    "websocket": WEBSOCKET_ONLY,
    "polling": POLLING_ONLY,
    "polling_then_upgrade": POLLING_THEN_UPGRADE,
}
FINAL_TRANSPORT = {"websocket": "websocket", "polling": "polling", "polling_then_upgrade": "websocket"}
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def connected_client(
    gateway: Gateway,
    clients: list[RecordingClient],
    token: str | None = None,
    transport: str = "websocket",
    **options: object,
) -> RecordingClient:
    client = RecordingClient()
    clients.append(client)
    return client.connect(gateway.url, token=token, transports=TRANSPORTS[transport], **options)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_client_on_transport_gets_connected_event_and_is_registered(
    gateway: Gateway, rest: Rest, clients: list[RecordingClient], transport: str
) -> None:
    user = new_user()
    client = connected_client(gateway, clients, user_token(user), transport)

    (connected,) = client.wait_for("connected")
    assert connected == {
        "message": "Successfully connected to WebSocket",
        "userId": user,
        "socketId": client.client.get_sid("/"),
    }
    assert list(connected) == ["message", "userId", "socketId"]
    # The socket id is per namespace and must never leak the Engine.IO session id.
    assert connected["socketId"] != client.client.eio.sid
    assert rest.connected(user)
    client.wait_transport(FINAL_TRANSPORT[transport])


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_message_gets_message_received_event_and_same_object_as_ack(
    gateway: Gateway, clients: list[RecordingClient], transport: str
) -> None:
    client = connected_client(gateway, clients, user_token(new_user()), transport)
    client.wait_for("connected")

    ack = client.call("message", {"message": "Hello from client!", "data": {"n": 1}})
    (event,) = client.wait_for("messageReceived")

    for reply in (ack, event):
        assert list(reply) == ["success", "message", "data"]
        assert reply["success"] is True
        assert reply["message"] == "Message received by server"
        assert list(reply["data"]) == ["receivedMessage", "timestamp"]
        assert reply["data"]["receivedMessage"] == "Hello from client!"
        assert TIMESTAMP.match(reply["data"]["timestamp"]), reply["data"]["timestamp"]
    assert ack == event


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_authorization_header_on_handshake_authenticates(
    gateway: Gateway, rest: Rest, clients: list[RecordingClient], transport: str
) -> None:
    user = new_user()
    headers = {"Authorization": f"Bearer {user_token(user)}"}
    client = connected_client(gateway, clients, None, transport, headers=headers)

    (connected,) = client.wait_for("connected")
    assert connected["userId"] == user
    assert rest.connected(user)


def test_auth_token_with_bearer_prefix_is_tolerated(gateway: Gateway, clients: list[RecordingClient]) -> None:
    user = new_user()
    client = connected_client(gateway, clients, f"Bearer {user_token(user)}")

    (connected,) = client.wait_for("connected")
    assert connected["userId"] == user


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"userId": "by-userId"}, "by-userId"),
        ({"_id": "507f1f77bcf86cd799439011"}, "507f1f77bcf86cd799439011"),
        ({"id": "by-id"}, "by-id"),
        ({"id": 42}, "42"),
        ({"sub": "by-sub", "userId": "ignored", "_id": "ignored"}, "by-sub"),
    ],
    ids=["userId", "_id", "id", "numeric_id", "sub_wins"],
)
def test_user_id_comes_from_first_present_claim(
    gateway: Gateway, clients: list[RecordingClient], claims: dict[str, object], expected: str
) -> None:
    token = mint({**claims, "exp": int(time.time()) + 3600})
    client = connected_client(gateway, clients, token)

    (connected,) = client.wait_for("connected")
    assert connected["userId"] == expected


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_client_disconnect_removes_user_from_registry(
    gateway: Gateway, rest: Rest, clients: list[RecordingClient], transport: str
) -> None:
    user = new_user()
    client = connected_client(gateway, clients, user_token(user), transport)
    client.wait_for("connected")
    assert rest.connected(user)

    client.disconnect()

    rest.wait_connected(user, False)

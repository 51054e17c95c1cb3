"""Engine.IO maxPayload (default 1000000 bytes): at the limit works, one byte over ends the session."""

from __future__ import annotations

import pytest
import socketio

from support.clients import POLLING_ONLY, WEBSOCKET_ONLY, RecordingClient
from support.gateway import Gateway
from support.raw import Closed, Polling, engineio_socket
from support.rest import Rest
from support.tokens import new_user, user_token

MAX_PAYLOAD = 1_000_000
PREFIX = '42["message",{"message":"'
SUFFIX = '"}]'
TRANSPORTS = {"websocket": WEBSOCKET_ONLY, "polling": POLLING_ONLY}


def text_of_packet_size(size: int) -> str:
    """The `message` text that makes the client's Engine.IO packet exactly `size` bytes."""
    return "x" * (size - len(PREFIX) - len(SUFFIX))


def test_open_packet_advertises_max_payload(gateway: Gateway) -> None:
    _, opened = Polling(gateway.url).handshake()
    assert opened["maxPayload"] == MAX_PAYLOAD


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_message_exactly_at_max_payload_is_answered(
    gateway: Gateway, clients: list[RecordingClient], transport: str
) -> None:
    client = RecordingClient().connect(gateway.url, token=user_token(new_user()), transports=TRANSPORTS[transport])
    clients.append(client)
    client.wait_for("connected")
    text = text_of_packet_size(MAX_PAYLOAD)

    client.emit("message", {"message": text})

    (reply,) = client.wait_for("messageReceived", timeout=10)
    assert reply["data"]["receivedMessage"] == text
    assert "disconnect" not in client.names()


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_message_one_byte_over_max_payload_closes_session_and_unregisters(
    gateway: Gateway, rest: Rest, clients: list[RecordingClient], transport: str
) -> None:
    user = new_user()
    client = RecordingClient().connect(gateway.url, token=user_token(user), transports=TRANSPORTS[transport])
    clients.append(client)
    client.wait_for("connected")

    try:
        client.emit("message", {"message": text_of_packet_size(MAX_PAYLOAD + 1)})
    except socketio.exceptions.SocketIOError:
        pass  # the client may notice the closed session while sending

    client.wait_for("disconnect", timeout=10)
    assert "messageReceived" not in client.names()
    rest.wait_connected(user, False)


def test_websocket_frame_over_max_payload_is_closed_by_server(gateway: Gateway) -> None:
    socket, _ = engineio_socket(gateway.ws_url)
    try:
        socket.send("4" + "y" * MAX_PAYLOAD)
        assert socket.closes_within(5.0), "server kept a session whose frame exceeded maxPayload"
    except Closed:
        pass
    finally:
        socket.close()


def test_polling_post_over_max_payload_is_refused_with_413(gateway: Gateway) -> None:
    polling = Polling(gateway.url)
    sid, _ = polling.handshake()

    response = polling.post(sid, "4" + "y" * MAX_PAYLOAD)

    assert response.status_code == 413

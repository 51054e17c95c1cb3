"""Every bad token gets the seed's `error` event and a server-side disconnect, no retry loop."""

from __future__ import annotations

import time

import pytest
import socketio

from support.clients import POLLING_ONLY, WEBSOCKET_ONLY, RecordingClient
from support.gateway import Gateway
from support.raw import Closed, socketio_connect
from support.rest import Rest
from support.tokens import bad_tokens, new_user, user_token

AUTH_FAILED = {"message": "Authentication failed"}
BAD_TOKEN_KINDS = list(bad_tokens("any"))
# The client retries after 0.1-0.2 s when it is allowed to; this window would show a loop.
RETRY_WINDOW_SECONDS = 0.6


def attempt(
    url: str, token: str | None, transports: list[str], headers: dict[str, str] | None = None
) -> RecordingClient:
    """A reconnecting client's try with a bad credential (see RecordingClient.connect on wait)."""
    client = RecordingClient(reconnection=True)
    client.connect(url, token=token, transports=transports, headers=headers, wait=False)
    return client


def assert_error_then_server_disconnect(client: RecordingClient) -> None:
    """The DISCONNECT reached the client after the error event, and the client, when it did
    not drop it (see RecordingClient.wait_for_server_disconnect), took it as the server's."""
    reason = client.wait_for_server_disconnect()
    error = '2["error",{"message":"Authentication failed"}]'
    assert error in client.messages and client.messages.index(error) < client.messages.index("1")
    assert reason in (client.client.reason.SERVER_DISCONNECT, None), reason


@pytest.mark.parametrize("kind", BAD_TOKEN_KINDS)
def test_bad_token_over_websocket_gets_error_event_then_server_disconnect(
    gateway: Gateway, rest: Rest, clients: list[RecordingClient], kind: str
) -> None:
    user = new_user()
    client = attempt(gateway.url, bad_tokens(user)[kind], WEBSOCKET_ONLY)
    clients.append(client)

    assert client.wait_for("error") == (AUTH_FAILED,)
    assert_error_then_server_disconnect(client)
    time.sleep(RETRY_WINDOW_SECONDS)
    assert "connected" not in client.names()
    assert client.names().count("connect") <= 1, client.names()
    assert not rest.connected(user)


@pytest.mark.parametrize("kind", ["missing", "expired", "wrong_signature"])
def test_bad_token_over_polling_gets_error_event_then_server_disconnect(
    gateway: Gateway, rest: Rest, clients: list[RecordingClient], kind: str
) -> None:
    user = new_user()
    client = attempt(gateway.url, bad_tokens(user)[kind], POLLING_ONLY)
    clients.append(client)

    assert client.wait_for("error") == (AUTH_FAILED,)
    assert_error_then_server_disconnect(client)
    time.sleep(RETRY_WINDOW_SECONDS)
    assert "connected" not in client.names()
    assert client.names().count("connect") <= 1, client.names()
    assert not rest.connected(user)


def test_bad_authorization_header_gets_error_event(gateway: Gateway, clients: list[RecordingClient]) -> None:
    headers = {"Authorization": f"Bearer {bad_tokens(new_user())['expired']}"}
    client = attempt(gateway.url, None, WEBSOCKET_ONLY, headers)
    clients.append(client)

    assert client.wait_for("error") == (AUTH_FAILED,)
    assert_error_then_server_disconnect(client)


def test_bad_token_frames_on_the_wire_are_connect_error_event_disconnect(gateway: Gateway) -> None:
    socket, reply = socketio_connect(gateway.ws_url, auth={"token": "not-a-jwt"})
    try:
        # NestJS accepts the namespace first, then its handleConnection emits and disconnects.
        assert reply.startswith('40{"sid":"')
        assert socket.receive_skipping_pings() == '42["error",{"message":"Authentication failed"}]'
        assert socket.receive_skipping_pings() == "41"
    except Closed:
        pytest.fail("socket closed before the error event and DISCONNECT arrived")
    finally:
        socket.close()


def test_connect_error_mode_refuses_with_connect_error_packet(connect_error_gateway: Gateway) -> None:
    socket, reply = socketio_connect(connect_error_gateway.ws_url, auth={"token": "not-a-jwt"})
    socket.close()
    assert reply == '44{"message":"Authentication failed"}'


def test_connect_error_mode_surfaces_connect_error_to_client(
    connect_error_gateway: Gateway, clients: list[RecordingClient]
) -> None:
    client = RecordingClient(reconnection=True)
    clients.append(client)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(connect_error_gateway.url, token=bad_tokens(new_user())["expired"])

    assert client.wait_for("connect_error") == (AUTH_FAILED,)
    assert "error" not in client.names()
    assert "connect" not in client.names()


def test_connect_error_mode_still_accepts_good_tokens(
    connect_error_gateway: Gateway, clients: list[RecordingClient]
) -> None:
    user = new_user()
    client = RecordingClient()
    clients.append(client)
    client.connect(connect_error_gateway.url, token=user_token(user))

    (connected,) = client.wait_for("connected")
    assert connected["userId"] == user

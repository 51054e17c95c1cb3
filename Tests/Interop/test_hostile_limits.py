"""Hostile clients against the per-socket, per-user, per-credential and per-address limits:
each gets its clear answer, and a well-behaved client on the same gateway is served all along."""

from __future__ import annotations

import select
import socket
import time

import pytest
import requests

from support.clients import WEBSOCKET_ONLY, RecordingClient
from support.gateway import API_KEYS, Gateway
from support.raw import socketio_connect
from support.rest import Rest
from support.tokens import new_user, user_token

pytestmark = pytest.mark.gateway_only

LIMITS = {
    "GATEWAY_CLIENT_EVENTS_PER_S": "20",
    "GATEWAY_CLIENT_EVENTS_BURST": "20",
    "GATEWAY_MAX_SOCKETS_PER_USER": "3",
    "GATEWAY_API_RATE_PER_S": "50",
    "GATEWAY_MAX_CONNECTIONS_PER_IP": "40",
}


@pytest.fixture(scope="module")
def limited(gateway_pool) -> Gateway:  # noqa: ANN001 - conftest's pool
    from conftest import started

    return started(gateway_pool, "limits", LIMITS)


def canary_served(gateway: Gateway, clients: list[RecordingClient]) -> None:
    """A normal user connects, gets a push, and gets its message acknowledged."""
    user = new_user("canary")
    client = RecordingClient().connect(gateway.url, user_token(user), transports=WEBSOCKET_ONLY)
    clients.append(client)
    client.wait_for("connected")
    assert Rest(gateway.url, API_KEYS[1]).send(user, "ping", 1, persist=False).json()["success"] is True
    client.wait_for("ping")
    assert client.call("message", {"message": "ok"})["success"] is True


def test_an_event_flood_is_dropped_with_one_error_and_others_are_served(
    limited: Gateway, clients: list[RecordingClient]
) -> None:
    socket_, _ = socketio_connect(limited.ws_url, auth={"token": user_token(new_user("flood"))})
    try:
        assert socket_.receive_skipping_pings().startswith('42["connected"')
        for index in range(200):
            socket_.send(f'42["message",{{"message":{index}}}]')
        frames = []
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not any(f.startswith('42["error"') for f in frames):
            frames.append(socket_.receive_skipping_pings())
        errors = [f for f in frames if f.startswith('42["error"')]
        assert errors == ['42["error",{"message":"Rate limit exceeded"}]']
        canary_served(limited, clients)
    finally:
        socket_.close()


def test_one_socket_over_the_per_user_limit_is_refused(limited: Gateway, clients: list[RecordingClient]) -> None:
    user = new_user("tabs")
    sockets = [socketio_connect(limited.ws_url, auth={"token": user_token(user)})[0] for _ in range(3)]
    try:
        extra, reply = socketio_connect(limited.ws_url, auth={"token": user_token(user)})
        sockets.append(extra)
        assert reply.startswith('40{"sid":"')
        assert extra.receive_skipping_pings() == '42["error",{"message":"Too many connections"}]'
        assert extra.receive_skipping_pings() == "41"
        canary_served(limited, clients)
    finally:
        for item in sockets:
            item.close()


def test_a_rest_caller_over_its_rate_gets_429_and_others_are_not_limited(
    limited: Gateway, clients: list[RecordingClient]
) -> None:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {API_KEYS[0]}"
    answers = [session.get(f"{limited.url}/api/gateway/stats", timeout=5) for _ in range(120)]
    limited_answers = [answer for answer in answers if answer.status_code == 429]
    assert limited_answers, "120 calls at once must pass a 50/s budget"
    assert limited_answers[0].json() == {
        "statusCode": 429, "message": "Too Many Requests", "error": "Too Many Requests",
    }
    assert limited_answers[0].headers["Retry-After"] == "1"
    canary_served(limited, clients)  # the canary's pushes use the other key


def test_connections_over_the_per_address_limit_are_closed_at_once(
    limited: Gateway, clients: list[RecordingClient]
) -> None:
    held = []
    try:
        for _ in range(60):
            held.append(socket.create_connection(("127.0.0.1", limited.port), timeout=5))
        # The 20 over the limit are closed by the gateway: readable, at end of stream.
        closed: set[socket.socket] = set()
        deadline = time.monotonic() + 5
        while len(closed) < 20 and time.monotonic() < deadline:
            readable, _, _ = select.select([c for c in held if c not in closed], [], [], 0.5)
            closed.update(c for c in readable if c.recv(1) == b"")
        assert len(closed) == 20, f"{len(closed)} of the 20 connections over the limit of 40 were closed"
    finally:
        for connection in held:
            connection.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{limited.url}/healthz", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.05)
    canary_served(limited, clients)

"""Heartbeats at 300/200 ms: live clients stay, silent or vanished ones leave the registry.

The deadline is pingInterval + pingTimeout (500 ms) plus a margin for a loaded 2-core
machine; the tests poll /status and report how long removal took (-rP shows it).
"""

from __future__ import annotations

import json
import socket as sockets
import time

import pytest

from support.clients import RecordingClient
from support.gateway import Gateway
from support.raw import Polling, RawSocket, payload_records, socketio_connect
from support.rest import Rest
from support.tokens import new_user, user_token

PING_INTERVAL = 0.3
PING_TIMEOUT = 0.2
MARGIN = 1.5
DEADLINE = PING_INTERVAL + PING_TIMEOUT + MARGIN


def silent_websocket_client(gateway: Gateway, user: str) -> RawSocket:
    """Joins `/` as `user` over a raw WebSocket, then never answers a ping."""
    socket, reply = socketio_connect(gateway.ws_url, auth={"token": user_token(user)})
    assert reply.startswith('40{"sid":"'), reply
    assert socket.receive_skipping_pings(answer=False).startswith('42["connected",')
    return socket


def test_open_packet_carries_configured_heartbeat(fast_gateway: Gateway) -> None:
    _, opened = Polling(fast_gateway.url).handshake()
    assert (opened["pingInterval"], opened["pingTimeout"]) == (300, 200)


def test_websocket_client_that_stops_answering_pings_is_removed(
    fast_gateway: Gateway, fast_rest: Rest, record_property: pytest.RecordProperty
) -> None:
    user = new_user("silent-ws")
    # Registered before `connected` was sent; from here the 500 ms heartbeat deadline runs.
    socket = silent_websocket_client(fast_gateway, user)
    try:
        elapsed = fast_rest.wait_connected(user, False, timeout=DEADLINE)
        record_property("removed_after_seconds", round(elapsed, 3))
        print(f"silent WebSocket client removed after {elapsed:.3f}s")
        assert socket.closes_within(1.0), "the server should also close the WebSocket"
    finally:
        socket.close()


def test_polling_client_that_stops_polling_is_removed(
    fast_gateway: Gateway, fast_rest: Rest, record_property: pytest.RecordProperty
) -> None:
    user = new_user("silent-polling")
    polling = Polling(fast_gateway.url)
    sid, _ = polling.handshake()
    polling.post(sid, "40" + json.dumps({"token": user_token(user)}))
    records: list[str] = []
    while not any(record.startswith('42["connected"') for record in records):
        records += payload_records(polling.get(sid).text)

    elapsed = fast_rest.wait_connected(user, False, timeout=DEADLINE)

    record_property("removed_after_seconds", round(elapsed, 3))
    print(f"silent polling client removed after {elapsed:.3f}s")
    assert polling.get(sid).status_code == 400


def test_client_vanishing_without_close_frame_is_removed(gateway: Gateway, rest: Rest) -> None:
    # The default gateway (25 s pings): removal must come from the reset, not the heartbeat.
    user = new_user("vanished")
    socket = silent_websocket_client(gateway, user)
    assert rest.connected(user)

    # Drop the TCP connection with no WebSocket close frame, as a killed tab would.
    raw = socket.socket.sock
    raw.setsockopt(sockets.SOL_SOCKET, sockets.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    raw.close()

    rest.wait_connected(user, False, timeout=DEADLINE)


@pytest.mark.parametrize("transports", [["websocket"], ["polling"]], ids=["websocket", "polling"])
def test_answering_client_stays_connected_across_many_pings(
    fast_gateway: Gateway, fast_rest: Rest, clients: list[RecordingClient], transports: list[str]
) -> None:
    user = new_user("alive")
    client = RecordingClient().connect(fast_gateway.url, token=user_token(user), transports=transports)
    clients.append(client)
    client.wait_for("connected")

    time.sleep(6 * (PING_INTERVAL + PING_TIMEOUT) / 2)  # about six ping rounds

    assert "disconnect" not in client.names()
    assert fast_rest.connected(user)
    assert fast_rest.send(user, "still", {"here": True}, persist=False).json()["success"] is True
    assert client.wait_for("still") == ({"here": True},)

"""Rooms, typing and presence with python-socketio and many users at once: no event reaches a
user outside the room or conversation it belongs to."""

from __future__ import annotations

import random
import time
from collections import Counter

import pytest

from support.clients import WEBSOCKET_ONLY, RecordingClient
from support.gateway import Gateway
from support.rest import Rest
from support.tokens import new_user, user_token

pytestmark = pytest.mark.gateway_only

GRACE_MS = 300
USERS = 40
ROOMS = 8


@pytest.fixture(scope="module")
def rooms_gateway(gateway_pool) -> Gateway:  # noqa: ANN001 - conftest's pool
    from conftest import started

    return started(gateway_pool, "rooms", {"GATEWAY_PRESENCE_GRACE_MS": str(GRACE_MS)})


def wait(condition, timeout: float = 10.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never held"
        time.sleep(0.02)


def test_many_users_in_many_rooms_get_only_their_rooms_events(
    rooms_gateway: Gateway, clients: list[RecordingClient]
) -> None:
    rest = Rest(rooms_gateway.url, "interop-key-alpha")
    rng = random.Random(7)
    run = new_user("run")
    users = [f"{run}-u{index}" for index in range(USERS)]
    rooms = [f"{run}:r{index}" for index in range(ROOMS)]
    membership = {room: sorted(rng.sample(users, rng.randint(3, 9))) for room in rooms}
    for room, members in membership.items():
        answer = rest.request("PUT", f"/api/gateway/rooms/{room}/members", {"userIds": members})
        assert answer.status_code == 200 and answer.json()["members"] == len(members)
    rooms_of = {user: {room for room, members in membership.items() if user in members} for user in users}
    co_members = {
        user: {other for room in rooms_of[user] for other in membership[room] if other != user} for user in users
    }

    connected = {}
    for user in users:
        client = RecordingClient().connect(rooms_gateway.url, user_token(user), transports=WEBSOCKET_ONLY)
        clients.append(client)
        connected[user] = client
    for client in connected.values():
        client.wait_for("connected")

    # Room sends: each user gets exactly its rooms' messages.
    for room in rooms:
        answer = rest.post("/api/gateway/send-room", {"room": room, "event": "roomcast", "message": {"room": room}})
        assert answer.status_code == 201 and answer.json()["recipients"] == len(membership[room])
    for user, client in connected.items():
        wait(lambda: len(client.all("roomcast")) >= len(rooms_of[user]))

    # Typing: one member of each room types; exactly the other members see it.
    for room in rooms:
        typist = membership[room][0]
        assert connected[typist].call("typing", {"room": room, "isTyping": True}) == {"success": True}
    expected_typing = Counter()
    for room in rooms:
        for member in membership[room][1:]:
            expected_typing[member] += 1
    for user, client in connected.items():
        wait(lambda: len(client.all("typing")) >= expected_typing[user])

    # Presence: a few users leave; only their co-members hear of it, once per transition.
    settle_until = time.monotonic() + 2 * GRACE_MS / 1000
    wait(lambda: time.monotonic() >= settle_until)  # every online transition published
    for client in connected.values():
        with client.condition:
            client.events = [event for event in client.events if event[0] != "presence"]
    leavers = users[:5]
    for user in leavers:
        connected[user].disconnect()
    stayers = [user for user in users if user not in leavers]
    for user in stayers:
        expected = {leaver for leaver in leavers if leaver in co_members[user]}
        wait(lambda: {e[0]["userId"] for e in connected[user].all("presence")} >= expected, timeout=10)
    time.sleep(2 * GRACE_MS / 1000)  # a stray or duplicate transition would be published by now

    for user in stayers:
        client = connected[user]
        received_rooms = sorted(arguments[0]["room"] for arguments in client.all("roomcast"))
        assert received_rooms == sorted(rooms_of[user]), user
        for arguments in client.all("typing"):
            assert arguments[0]["room"] in rooms_of[user] and arguments[0]["from"] != user
        assert len(client.all("typing")) == expected_typing[user], user
        presence = [arguments[0] for arguments in client.all("presence")]
        assert all(event["online"] is False for event in presence), presence
        names = [event["userId"] for event in presence]
        assert sorted(names) == sorted(leaver for leaver in leavers if leaver in co_members[user]), user

    status = rest.get(f"/api/gateway/presence?userIds={','.join(leavers)}").json()
    assert [entry["online"] for entry in status["users"]] == [False] * len(leavers)

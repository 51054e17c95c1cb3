"""Cluster mode, REST on any node reaching sockets on every node: send (persisted and
`persist:false`), send-many, rooms and send-room, status, connected, stats and presence,
all with the seed's shapes. Three nodes and one Redis (password-protected), no balancer
needed: each socket connects straight to the node the test names."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.cluster import Cluster, ClusterNode
from support.gateway import API_KEYS
from support.listening import ListeningSocket
from support.rest import Rest
from support.tokens import new_user, user_token
from support.waiting import wait_until

pytestmark = [pytest.mark.gateway_only, pytest.mark.cluster]

CLUSTER_NODE_ENVIRONMENT = {"GATEWAY_PRESENCE_GRACE_MS": "200"}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    folder: Path = tmp_path_factory.mktemp("cluster")
    running = Cluster(
        folder, redis_password="cluster-redis-pass-91f3", node_environment=CLUSTER_NODE_ENVIRONMENT
    ).start()
    yield running
    running.close()


@pytest.fixture
def sockets() -> Iterator[list[ListeningSocket]]:
    opened: list[ListeningSocket] = []
    yield opened
    for socket in opened:
        socket.close()


def rest_of(node: ClusterNode) -> Rest:
    return Rest(node.url, API_KEYS[0])


def connect(node: ClusterNode, user: str, sockets: list[ListeningSocket]) -> ListeningSocket:
    """A socket of `user` on `node`, once it has its `connected` event."""
    socket = ListeningSocket(node.ws_url, {"token": user_token(user)})
    sockets.append(socket)
    socket.wait_events("connected", 1)
    return socket


def test_a_persisted_and_a_live_push_from_another_node_reach_the_socket(
    cluster: Cluster, sockets: list[ListeningSocket]
) -> None:
    n1, n2 = cluster.node("n1"), cluster.node("n2")
    user = new_user("cross")
    socket = connect(n1, user, sockets)
    rest = rest_of(n2)

    stored = rest.send(user, "note", {"n": 1})
    assert stored.status_code == 201, stored.text
    body = stored.json()
    assert list(body) == ["success", "message", "messageId", "queued"]
    assert body["success"] is True and body["message"] == f"Message sent to user {user}" and body["queued"] is False
    [event] = socket.wait_events("note", 1)
    assert event[0] == {"n": 1} and isinstance(event[1], str), event

    live = rest.send(user, "note", {"n": 2}, persist=False)
    assert live.status_code == 201
    assert live.content == f'{{"success":true,"message":"Message sent to user {user}"}}'.encode()
    assert socket.wait_events("note", 2)[1] == [{"n": 2}], "a persist:false push carries no offset"

    n3 = rest_of(cluster.node("n3"))

    def recipients() -> list[tuple[str, str, str]]:
        record = n3.get(f"/api/gateway/messages/{body['messageId']}").json()
        return [(r["userId"], r["state"], r["offset"]) for r in record["recipients"]]

    wait_until(lambda: recipients() == [(user, "sent", event[1])], "the message's state on n3", recipients)


def test_a_user_on_every_node_gets_each_push_once_on_each_socket(
    cluster: Cluster, sockets: list[ListeningSocket]
) -> None:
    user = new_user("everywhere")
    tabs = [connect(node, user, sockets) for node in cluster.nodes]
    rest = rest_of(cluster.node("n2"))
    for index in range(5):
        assert rest.send(user, "note", {"n": index}).json()["success"] is True
    received = [tab.wait_events("note", 5) for tab in tabs]
    assert [[event[0] for event in events] for events in received] == [[{"n": i} for i in range(5)]] * 3
    offsets = [[event[1] for event in events] for events in received]
    assert offsets[0] == offsets[1] == offsets[2] and len(set(offsets[0])) == 5
    # A barrier: a last push arrives after any duplicate of the first five would have.
    rest.send(user, "note", {"n": "end"})
    for tab in tabs:
        assert [event[0] for event in tab.wait_events("note", 6)] == [*({"n": i} for i in range(5)), {"n": "end"}]


def test_send_many_reaches_users_on_three_nodes_and_queues_the_offline_one(
    cluster: Cluster, sockets: list[ListeningSocket]
) -> None:
    users = [new_user(f"many-{node.node_id}") for node in cluster.nodes]
    offline = new_user("many-offline")
    listeners = [connect(node, user, sockets) for node, user in zip(cluster.nodes, users)]
    rest = rest_of(cluster.node("n3"))

    stored = rest.send_many([*users, offline], "announcement", {"title": "stored"})
    assert stored.status_code == 201, stored.text
    body = stored.json()
    assert body["success"] is True and body["message"] == "Message sent to 4 users"
    assert body["userIds"] == [*users, offline] and body["queuedUserIds"] == [offline]
    live = rest.send_many([*users, offline], "announcement", {"title": "live"}, persist=False)
    assert live.status_code == 201
    assert list(live.json()) == ["success", "message", "userIds"] and live.json()["success"] is True
    for listener in listeners:
        events = listener.wait_events("announcement", 2)
        assert events[0][0] == {"title": "stored"} and len(events[0]) == 2
        assert events[1] == [{"title": "live"}]
    history = rest_of(cluster.node("n1")).get(f"/api/gateway/history/{offline}").json()
    assert [message["message"] for message in history["messages"]] == [{"title": "stored"}]


def test_rooms_with_members_on_different_nodes(cluster: Cluster, sockets: list[ListeningSocket]) -> None:
    users = [new_user(f"room-{node.node_id}") for node in cluster.nodes]
    listeners = [connect(node, user, sockets) for node, user in zip(cluster.nodes, users)]
    room = f"team:{new_user('room')}"
    n1, n2, n3 = (rest_of(node) for node in cluster.nodes)

    added = n1.request("PUT", f"/api/gateway/rooms/{room}/members", {"userIds": users})
    assert added.status_code == 200 and added.json() == {"room": room, "added": 3, "members": 3}

    def room_state() -> dict[str, object]:
        return n2.get(f"/api/gateway/rooms/{room}").json()

    wait_until(lambda: room_state() == {"room": room, "members": users, "online": users}, "room online", room_state)
    assert n3.get(f"/api/gateway/users/{users[0]}/rooms").json() == {"userId": users[0], "rooms": [room]}

    everyone = n3.post("/api/gateway/send-room", {"room": room, "event": "chat", "message": {"text": "all"}})
    assert everyone.status_code == 201, everyone.text
    assert everyone.json()["recipients"] == 3 and everyone.json()["success"] is True
    assert everyone.json()["queuedUserIds"] == []
    body = {"room": room, "event": "chat", "message": {"text": "not you"}, "exceptUserIds": [users[0]]}
    assert n2.post("/api/gateway/send-room", body).status_code == 201
    for listener in listeners[1:]:
        assert [event[0] for event in listener.wait_events("chat", 2)] == [{"text": "all"}, {"text": "not you"}]
    n1.send(users[0], "chat", {"text": "barrier"})
    assert [event[0] for event in listeners[0].wait_events("chat", 2)] == [{"text": "all"}, {"text": "barrier"}]


def test_status_connected_stats_and_presence_answer_for_the_whole_cluster(
    cluster: Cluster, sockets: list[ListeningSocket]
) -> None:
    users = [new_user(f"stats-{node.node_id}") for node in cluster.nodes]
    listeners = [connect(node, user, sockets) for node, user in zip(cluster.nodes, users)]
    rests = [rest_of(node) for node in cluster.nodes]

    for rest in rests:
        for user in users:
            rest.wait_connected(user, True)
        connected = rest.get("/api/gateway/connected").json()
        assert list(connected) == ["connectedUsers", "count"]
        assert set(users) <= set(connected["connectedUsers"]) and connected["count"] == len(connected["connectedUsers"])
        stats = rest.get("/api/gateway/stats").json()
        assert list(stats) == ["connectedUsers", "userIds"]
        assert set(users) <= set(stats["userIds"]) and stats["connectedUsers"] == len(stats["userIds"])
    # The three nodes give one answer (asked until in-flight changes from other tests settle).
    wait_until(
        lambda: len({tuple(sorted(rest.get("/api/gateway/stats").json()["userIds"])) for rest in rests}) == 1,
        "every node's stats agree",
        lambda: [rest.get("/api/gateway/stats").json() for rest in rests],
    )

    query = urllib.parse.quote(",".join(users))

    def presence() -> list[object]:
        answer = rests[0].get(f"/api/gateway/presence?userIds={query}").json()
        return [(entry["userId"], entry["online"]) for entry in answer["users"]]

    wait_until(lambda: presence() == [(user, True) for user in users], "presence online", presence)

    listeners[2].close()  # the user on n3 leaves
    for rest in rests[:2]:
        rest.wait_connected(users[2], False)
        assert users[2] not in rest.get("/api/gateway/connected").json()["connectedUsers"]
        assert users[2] not in rest.get("/api/gateway/stats").json()["userIds"]
    wait_until(
        lambda: presence() == [(users[0], True), (users[1], True), (users[2], False)], "presence offline", presence
    )

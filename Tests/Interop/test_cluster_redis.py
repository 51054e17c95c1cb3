"""Redis goes away and comes back, with its data (same port, same folder, append-only file) or
without (a fresh folder). While it is away: /healthz says degraded, persisted sends answer 503
in the NestJS shape, `persist:false` sends still reach local sockets, no node dies. Afterwards
the nodes are back by themselves: pushes cross nodes again, presence is whole again, and old
offsets recover exactly what they should (with the data) or nothing (without)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.cluster import Cluster, ClusterNode
from support.gateway import API_KEYS
from support.listening import ListeningSocket
from support.rest import Rest
from support.tokens import new_user, user_token

pytestmark = [pytest.mark.gateway_only, pytest.mark.cluster]

DEGRADED = {"status": "degraded", "redis": "unreachable"}
RECONNECT_SECONDS = 20.0


def rest_of(node: ClusterNode) -> Rest:
    return Rest(node.url, API_KEYS[0])


def epoch_and_number(offset: str) -> tuple[str, int]:
    epoch, _, number = offset.rpartition(".")
    return epoch, int(number)


def check_the_outage(cluster: Cluster, alice: str, alice_socket: ListeningSocket) -> None:
    """Redis is stopped: what every node answers meanwhile (alice's socket is on n1)."""
    n1 = cluster.node("n1")
    cluster.wait_healthy("degraded", timeout=RECONNECT_SECONDS)
    for node in cluster.nodes:
        assert node.health() == (200, DEGRADED)
    rest = rest_of(n1)
    for answer in (
        rest.send(alice, "note", {"while": "down"}),
        rest.send_many([alice, new_user("other")], "note", {"while": "down"}),
    ):
        assert answer.status_code == 503, answer.text
        body = answer.json()
        assert list(body) == ["statusCode", "message", "error"]
        assert body["statusCode"] == 503 and body["error"] == "Service Unavailable" and isinstance(body["message"], str)
    live = rest.send(alice, "note", {"live": "while down"}, persist=False)
    assert live.status_code == 201 and live.json() == {"success": True, "message": f"Message sent to user {alice}"}
    assert alice_socket.wait_events("note", 2)[-1] == [{"live": "while down"}]
    assert all(node.running() for node in cluster.nodes), "a node died while Redis was away"


def check_the_cluster_is_whole(
    cluster: Cluster, users: dict[str, ListeningSocket], event_counts: dict[str, int]
) -> None:
    """Every node is ok and registered again; a push sent on each node reaches a socket on
    another node; every user shows online on every node."""
    cluster.wait_healthy("ok", timeout=RECONNECT_SECONDS)
    cluster.wait_registered([node.node_id for node in cluster.nodes], timeout=RECONNECT_SECONDS)
    for user in users:
        for node in cluster.nodes:
            rest_of(node).wait_connected(user, True, timeout=RECONNECT_SECONDS)
    for index, (user, socket) in enumerate(users.items()):
        sender = cluster.nodes[(index + 1) % len(cluster.nodes)]
        answer = rest_of(sender).send(user, "note", {"after": sender.node_id})
        assert answer.status_code == 201 and answer.json()["success"] is True, answer.text
        event_counts[user] += 1
        assert socket.wait_events("note", event_counts[user])[-1][0] == {"after": sender.node_id}


@pytest.mark.timeout(120)
@pytest.mark.parametrize("keep_data", [True, False], ids=["with-data", "without-data"])
def test_redis_restarted_the_nodes_come_back_by_themselves(tmp_path: Path, keep_data: bool) -> None:
    cluster = Cluster(tmp_path, balancer=False, node_environment={"GATEWAY_PRESENCE_GRACE_MS": "200"}).start()
    sockets: list[ListeningSocket] = []
    try:
        n1, n2, n3 = cluster.nodes
        alice, bob = new_user("alice"), new_user("bob")
        alice_socket = ListeningSocket(n1.ws_url, {"token": user_token(alice)})
        bob_socket = ListeningSocket(n2.ws_url, {"token": user_token(bob)})
        sockets += [alice_socket, bob_socket]
        handshake = alice_socket.handshake()
        bob_socket.wait_events("connected", 1)
        assert rest_of(n2).send(alice, "note", {"n": 1}).json()["success"] is True
        [[_, first_offset]] = alice_socket.wait_events("note", 1)

        cluster.redis.stop()
        check_the_outage(cluster, alice, alice_socket)
        if not keep_data:
            cluster.redis.discard_data()
        cluster.redis.start()

        counts = {alice: 2, bob: 0}
        check_the_cluster_is_whole(cluster, {alice: alice_socket, bob: bob_socket}, counts)
        after_offset = alice_socket.events("note")[-1][1]
        epoch, number = epoch_and_number(first_offset)
        if keep_data:
            assert epoch_and_number(after_offset) == (epoch, number + 1), (first_offset, after_offset)
        else:
            assert epoch_and_number(after_offset)[0] != epoch, "a wiped Redis must give a new epoch"

        # Alice drops; a push waits; she comes back on n3 with her pid and first offset.
        alice_socket.close()
        n3_rest = rest_of(n3)
        n3_rest.wait_connected(alice, False)
        queued = n3_rest.send(alice, "note", {"n": "queued"})
        assert queued.status_code == 201 and queued.json()["queued"] is True
        auth = {"token": user_token(alice), "pid": handshake["pid"], "offset": first_offset}
        back = ListeningSocket(n3.ws_url, auth)
        sockets.append(back)
        reply = back.handshake()
        if keep_data:
            assert reply["sid"] == handshake["sid"], "the old offset should recover with Redis's data kept"
            expected = [{"after": "n2"}, {"n": "queued"}]
        else:
            assert reply["sid"] != handshake["sid"], "an offset of a wiped Redis must not recover"
            expected = [{"n": "queued"}]  # the offline queue only: nothing of the old epoch
        assert rest_of(n2).send(alice, "note", {"n": "barrier"}).json()["success"] is True
        received = back.wait_events("note", len(expected) + 1)
        assert [event[0] for event in received] == [*expected, {"n": "barrier"}]
        print(
            f"\nRedis restarted {'with' if keep_data else 'without'} its data: offset {first_offset} before, "
            f"{after_offset} after; the old pid recovered {'the same' if reply['sid'] == handshake['sid'] else 'a fresh'} "
            f"socket with {[event[0] for event in received]}"
        )
    finally:
        for socket in sockets:
            socket.close()
        cluster.close()

"""`kill -9` of a node: its users show offline cluster-wide within the node TTL, their clients
come back through HAProxy to the other nodes with their `pid` and last offset and recover
every persisted message sent meanwhile, none twice; a polling session it owned is "Session ID
unknown" everywhere else."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from support.cluster import NODE_TTL_MS, Cluster
from support.gateway import API_KEYS
from support.listening import ListeningSocket
from support.raw import Polling
from support.rest import Rest
from support.tokens import new_user, user_token
from support.waiting import wait_until

pytestmark = [pytest.mark.gateway_only, pytest.mark.cluster]

USERS_PER_NODE = 4
PUSHERS = 6
TOTAL_PUSHES = 2000
KILL_AFTER = 600  # acknowledged pushes before n2 dies
OFFLINE_MARGIN_S = 3.0


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    running = Cluster(tmp_path, node_environment={"GATEWAY_LOG_LEVEL": "warn"}).start()
    yield running
    running.close()


def offset_number(offset: str) -> tuple[str, int]:
    """An offset `<epoch>.<n>` as (epoch, n)."""
    epoch, _, number = offset.rpartition(".")
    return epoch, int(number)


class Storm:
    """PUSHERS threads sending TOTAL_PUSHES persisted pushes through the balancer, each thread
    to its own users in turn (so each user's pushes leave in index order)."""

    def __init__(self, url: str, users: list[str]) -> None:
        self.url = url
        self.acknowledged: dict[str, list[int]] = defaultdict(list)
        self.failures: list[str] = []
        self.lock = threading.Lock()
        self.count = 0
        self.reached = threading.Event()
        per_thread = [users[index::PUSHERS] for index in range(PUSHERS)]
        self.threads = [
            threading.Thread(target=self.push, args=(mine, TOTAL_PUSHES // PUSHERS), daemon=True) for mine in per_thread
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def push(self, users: list[str], pushes: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {API_KEYS[0]}"
        for index in range(pushes):
            user = users[index % len(users)]
            body = {"userId": user, "event": "storm", "message": {"user": user, "i": index}}
            try:
                response = session.post(f"{self.url}/api/gateway/send", json=body, timeout=10)
            except requests.RequestException as error:
                self.failures.append(repr(error))
                continue
            if response.status_code != 201:
                self.failures.append(f"{response.status_code} {response.text[:200]}")
                continue
            with self.lock:
                self.acknowledged[user].append(index)
                self.count += 1
                if self.count >= KILL_AFTER:
                    self.reached.set()

    def join(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(0.1, deadline - time.monotonic()))
        assert not any(thread.is_alive() for thread in self.threads), "the storm did not finish"


def storm_events(*sockets: ListeningSocket) -> list[list[Any]]:
    return [event for socket in sockets for event in socket.events("storm")]


@pytest.mark.timeout(180)
def test_kill_9_of_a_node_mid_storm_loses_and_duplicates_nothing(cluster: Cluster) -> None:
    users = {node.node_id: [new_user(f"storm-{node.node_id}") for _ in range(USERS_PER_NODE)] for node in cluster.nodes}
    everyone = [user for group in users.values() for user in group]
    first: dict[str, ListeningSocket] = {}
    second: dict[str, ListeningSocket] = {}
    try:
        for node in cluster.nodes:
            for user in users[node.node_id]:
                first[user] = ListeningSocket(node.ws_url, {"token": user_token(user)})
        handshakes = {user: socket.handshake() for user, socket in first.items()}
        for socket in first.values():
            socket.wait_events("connected", 1)

        storm = Storm(cluster.balancer.url, everyone)
        storm.start()
        assert storm.reached.wait(60), f"the storm never reached {KILL_AFTER} acknowledged pushes: {storm.failures[:5]}"
        victim = cluster.node("n2")
        killed_at = time.monotonic()
        victim.kill_9()

        # Its users show offline on every other node within the TTL (+ margin).
        survivors = [Rest(node.url, API_KEYS[0]) for node in cluster.nodes if node is not victim]

        def victims_online() -> list[tuple[str, str]]:
            return [(user, rest.base_url) for rest in survivors for user in users["n2"] if rest.connected(user)]

        wait_until(lambda: not victims_online(), "n2's users offline", victims_online, timeout=NODE_TTL_MS / 1000 + 10)
        offline_after = time.monotonic() - killed_at
        print(f"\nn2 killed: its {USERS_PER_NODE} users showed offline on n1 and n3 after {offline_after:.2f}s "
              f"(GATEWAY_NODE_TTL_MS={NODE_TTL_MS})")
        assert offline_after <= NODE_TTL_MS / 1000 + OFFLINE_MARGIN_S
        for user in users["n1"] + users["n3"]:
            assert survivors[0].connected(user), f"{user} (on a live node) shows offline"

        # n2's clients come back through the balancer with their pid and last offset.
        for user in users["n2"]:
            first[user].wait_closed()
            seen = first[user].events("storm")
            offset = seen[-1][1] if seen else None
            auth = {"token": user_token(user), "pid": handshakes[user]["pid"], "offset": offset}
            second[user] = ListeningSocket(cluster.balancer.ws_url, auth)
        for user, socket in second.items():
            assert not socket.engine_sid.startswith("n2."), socket.engine_sid
            assert socket.handshake()["sid"] == handshakes[user]["sid"], f"{user} was not recovered"

        storm.join(90)
        cluster.balancer.wait_servers({"n2"}, "DOWN")
        barrier = Rest(cluster.balancer.url, API_KEYS[0])
        for user in everyone:
            assert barrier.send(user, "storm", {"user": user, "i": "end"}).status_code == 201

        acknowledged_total = sum(len(indices) for indices in storm.acknowledged.values())
        print(f"{acknowledged_total} of {TOTAL_PUSHES} pushes acknowledged, {len(storm.failures)} refused or cut")
        assert acknowledged_total >= TOTAL_PUSHES * 0.9, storm.failures[:10]
        for user in everyone:
            sockets = [first[user], second[user]] if user in second else [first[user]]
            last = sockets[-1]
            last.wait(lambda: any('"i":"end"' in frame for frame in last.frames), f"{user}'s end push", 30)
            events = storm_events(*sockets)
            indices = [event[0]["i"] for event in events]
            assert indices[-1] == "end", indices[-5:]
            indices = indices[:-1]
            assert len(indices) == len(set(indices)), f"{user} got a push twice"
            missing = set(storm.acknowledged[user]) - set(indices)
            assert not missing, f"{user} lost {len(missing)} acknowledged pushes: {sorted(missing)[:10]}"
            assert indices == sorted(indices), f"{user}'s pushes arrived out of order"
            numbers = [offset_number(event[1]) for event in events]
            assert len({epoch for epoch, _ in numbers}) == 1, f"{user}'s offsets changed epoch"
            assert [n for _, n in numbers] == list(range(numbers[0][1], numbers[0][1] + len(numbers))), (
                f"{user}'s offsets are not contiguous"
            )

        # Started again on its port, n2 rejoins: registered, back in rotation, reached from n1.
        victim.start()
        cluster.wait_registered(["n2"])
        cluster.balancer.wait_servers({"n2"}, "UP")
        user = new_user("rejoined")
        socket = ListeningSocket(victim.ws_url, {"token": user_token(user)})
        second[user] = socket
        socket.wait_events("connected", 1)
        assert Rest(cluster.node("n1").url, API_KEYS[0]).send(user, "note", {"n": 1}).json()["success"] is True
        assert socket.wait_events("note", 1)[0][0] == {"n": 1}
    finally:
        for socket in [*first.values(), *second.values()]:
            socket.close()


def test_a_polling_session_whose_node_died_is_session_id_unknown_on_the_others(tmp_path: Path) -> None:
    cluster = Cluster(tmp_path, size=2, balancer=False).start()
    try:
        n1, n2 = cluster.nodes
        sid, _ = Polling(n2.url).handshake()
        assert sid.startswith("n2.")
        elsewhere = Polling(n1.url)
        # While n2 lives, n1 forwards this session's requests to it.
        assert elsewhere.post(sid, '40{"token":"%s"}' % user_token(new_user("doomed"))).text == "ok"
        assert elsewhere.get(sid).text.startswith("40{"), "not forwarded to the live owner"
        n2.kill_9()
        answers: list[tuple[int, str]] = []

        def unknown() -> bool:
            try:
                answer = elsewhere.get(sid, timeout=3)
            except requests.RequestException as error:
                answers.append((0, repr(error)))
                return False
            answers.append((answer.status_code, answer.text))
            return answer.status_code == 400

        wait_until(unknown, "Session ID unknown", lambda: answers[-5:], timeout=NODE_TTL_MS / 1000 + OFFLINE_MARGIN_S)
        assert answers[-1] == (400, '{"code":1,"message":"Session ID unknown"}'), answers[-5:]
    finally:
        cluster.close()

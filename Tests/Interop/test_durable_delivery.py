"""Durable delivery against the built binary: the offline queue with python-socketio, the
REST shapes, a `kill -9` in the middle of a push storm, and a store that cannot be opened."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import requests

from support.clients import WEBSOCKET_ONLY, RecordingClient
from support.gateway import API_KEYS, Gateway, base_command, base_environment, free_port
from support.raw import socketio_connect
from support.rest import Rest
from support.tokens import new_user, user_token

pytestmark = pytest.mark.gateway_only


def wait_frames(client: RecordingClient, match, count: int, timeout: float = 10.0) -> list[str]:  # noqa: ANN001
    """The first `count` Socket.IO frames (Engine.IO message payloads) matching `match`."""
    with client.condition:
        found = client.condition.wait_for(
            lambda: len([frame for frame in client.messages if match(frame)]) >= count, timeout
        )
        frames = [frame for frame in client.messages if match(frame)]
    assert found, f"only {len(frames)} of {count} frames arrived: {client.messages}"
    return frames[:count]


def history(rest: Rest, user: str) -> list[dict[str, object]]:
    """Every retained message of `user`, following `next`."""
    messages: list[dict[str, object]] = []
    after = ""
    while True:
        page = rest.get(f"/api/gateway/history/{user}?limit=500&after={after}").json()
        messages += page["messages"]
        if page["next"] is None:
            return messages
        after = page["next"]


def test_offline_queue_reaches_python_socketio_after_connected_in_order(
    gateway: Gateway, rest: Rest, clients: list[RecordingClient]
) -> None:
    user = new_user("queue")
    answers = [rest.send(user, "notification", {"n": index}).json() for index in range(5)]
    assert all(answer["success"] is False and answer["queued"] is True for answer in answers)
    client = RecordingClient()
    clients.append(client)
    client.connect(gateway.url, user_token(user), transports=WEBSOCKET_ONLY)
    # python-socketio runs each handler on a thread of its own; the wire order is in messages.
    frames = wait_frames(client, lambda frame: frame.startswith('2["notification"'), 5)
    wire = [frame for frame in client.messages if frame.startswith('2["')]
    assert wire[0].startswith('2["connected"'), wire
    received = [json.loads(frame[1:]) for frame in frames]
    assert [event[1] for event in received] == [{"n": index} for index in range(5)]
    offsets = [event[2] for event in received]
    assert len(set(offsets)) == 5 and all(isinstance(offset, str) for offset in offsets)
    # The handlers got the offset as a trailing argument too.
    client.wait_for("notification", where=lambda data, *rest: data == {"n": 4} and rest == (offsets[4],))
    assert [message["messageId"] for message in history(rest, user)] == [a["messageId"] for a in answers]


def test_send_answers_carry_message_id_and_queued_and_persist_false_is_the_seed(
    gateway: Gateway, rest: Rest
) -> None:
    user = new_user("shape")
    stored = rest.send(user, "notification", {"a": 1})
    assert stored.status_code == 201
    body = stored.json()
    assert list(body) == ["success", "message", "messageId", "queued"]
    assert body["success"] is False and body["queued"] is True
    live = rest.post("/api/gateway/send", {"userId": user, "event": "e", "message": 1, "persist": False})
    assert live.content == f'{{"success":false,"message":"User {user} is not connected"}}'.encode()
    record = rest.get(f"/api/gateway/messages/{body['messageId']}").json()
    assert record["event"] == "notification" and record["message"] == {"a": 1}
    assert [(r["userId"], r["state"], r["sentAt"]) for r in record["recipients"]] == [(user, "queued", None)]
    assert len(history(rest, user)) == 1, "persist:false stores nothing"


def test_another_users_pid_recovers_nothing(gateway: Gateway, rest: Rest) -> None:
    victim, thief = new_user("victim"), new_user("thief")
    socket, reply = socketio_connect(gateway.ws_url, auth={"token": user_token(victim)})
    victim_handshake = json.loads(reply[2:])
    socket.close()
    rest.send(victim, "secret", "for the victim only")
    socket, reply = socketio_connect(
        gateway.ws_url, auth={"token": user_token(thief), "pid": victim_handshake["pid"], "offset": None}
    )
    try:
        handshake = json.loads(reply[2:])
        assert handshake["sid"] != victim_handshake["sid"] and handshake["pid"] != victim_handshake["pid"]
        assert socket.receive_skipping_pings().startswith('42["connected",')
        rest.send(thief, "own", 1)
        assert socket.receive_skipping_pings().startswith('42["own",1,"')
    finally:
        socket.close()


def start_gateway(store: str, port: int) -> subprocess.Popen[bytes]:
    environment = base_environment(port) | {"GATEWAY_STORE": store, "GATEWAY_LOG_LEVEL": "warn"}
    return subprocess.Popen(
        base_command(), env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, start_new_session=True,
    )


def wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        try:
            if requests.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        threading.Event().wait(0.05)
    raise AssertionError("gateway never became healthy")


def test_kill_9_during_a_push_storm_loses_no_acknowledged_message(tmp_path: Path) -> None:
    store = f"sqlite:{tmp_path / 'storm.db'}"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start_gateway(store, port)
    wait_healthy(url, process)
    users = [new_user("storm") for _ in range(8)]
    acknowledged: dict[str, list[str]] = {user: [] for user in users}
    lock = threading.Lock()
    started = threading.Event()

    def pusher(user: str) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {API_KEYS[0]}"
        for index in range(2000):
            try:
                response = session.post(
                    f"{url}/api/gateway/send", json={"userId": user, "event": "storm", "message": index}, timeout=5
                )
            except requests.RequestException:
                return
            if response.status_code != 201:
                return
            with lock:
                acknowledged[user].append(response.json()["messageId"])
                if sum(map(len, acknowledged.values())) >= 1500:
                    started.set()

    threads = [threading.Thread(target=pusher, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    assert started.wait(60), "the storm never reached 1,500 acknowledged pushes"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
    for thread in threads:
        thread.join(30)

    restarted = start_gateway(store, port)
    try:
        wait_healthy(url, restarted)
        rest = Rest(url, API_KEYS[0])
        total = 0
        for user in users:
            stored = [message["messageId"] for message in history(rest, user)]
            counts = Counter(stored)
            assert all(count == 1 for count in counts.values()), "a message was stored twice"
            missing = set(acknowledged[user]) - set(counts)
            assert not missing, f"{len(missing)} acknowledged messages of {user} lost"
            # Offsets in the log are in acknowledgement order for each user.
            positions = [stored.index(message_id) for message_id in acknowledged[user]]
            assert positions == sorted(positions)
            total += len(acknowledged[user])
        assert total >= 1500
    finally:
        restarted.kill()
        restarted.wait(10)


@pytest.mark.parametrize("kind", ["corrupt", "impossible"])
def test_a_store_that_cannot_be_opened_stops_the_start_with_one_line(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "store.db"
    target.write_bytes(b"this is not a SQLite database at all " * 200)
    path = target if kind == "corrupt" else target / "below-a-file.db"
    environment = base_environment(free_port()) | {"GATEWAY_STORE": f"sqlite:{path}"}
    result = subprocess.run(base_command(), env=environment, capture_output=True, timeout=20)
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"gateway: cannot open the message store sqlite:{path}"), lines[0]


def test_a_full_store_answers_503_and_the_gateway_keeps_serving(tmp_path: Path) -> None:
    """GATEWAY_STORE_MAX_MB caps the database as a full disk would: pushes past it get a 503 in
    the NestJS shape, nothing is half-stored, and live-only pushes and reads still work."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    environment = base_environment(port) | {
        "GATEWAY_STORE": f"sqlite:{tmp_path / 'full.db'}", "GATEWAY_STORE_MAX_MB": "1",
    }
    process = subprocess.Popen(
        base_command(), env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        wait_healthy(url, process)
        rest = Rest(url, API_KEYS[0])
        user = new_user("full")
        blob = "x" * 50_000
        answers = [rest.send(user, "big", blob) for _ in range(60)]
        refused = [answer for answer in answers if answer.status_code == 503]
        assert refused, "60 pushes of 50 kB cannot fit in 1 MB"
        body = refused[0].json()
        assert body["statusCode"] == 503 and body["error"] == "Service Unavailable"
        assert "disk full" in body["message"]
        stored = len(history(rest, user))
        assert stored == sum(answer.status_code == 201 for answer in answers)
        assert rest.send(user, "live", 1, persist=False).status_code == 201
        assert requests.get(f"{url}/healthz", timeout=5).status_code == 200
    finally:
        process.kill()
        process.wait(10)


def test_recovery_survives_a_kill_9_and_a_wiped_store_recovers_nothing(tmp_path: Path) -> None:
    """A socket's pid and offset recover after the gateway was killed and restarted on the same
    store (same socket id, exactly the missed events, none twice); against a wiped store (a
    new file) the same pid and offset give a fresh socket."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    store = f"sqlite:{tmp_path / 'kept.db'}"
    process = start_gateway(store, port)
    user = new_user("restart")
    try:
        wait_healthy(url, process)
        rest = Rest(url, API_KEYS[0])
        socket, reply = socketio_connect(f"ws://127.0.0.1:{port}", auth={"token": user_token(user)})
        handshake = json.loads(reply[2:])
        assert socket.receive_skipping_pings().startswith('42["connected"')
        rest.send(user, "note", 1)
        last_offset = json.loads(socket.receive_skipping_pings()[2:])[2]
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
        socket.close()
        process = start_gateway(store, port)
        wait_healthy(url, process)
        for number in (2, 3):
            assert rest.send(user, "note", number).json()["queued"] is True
        auth = {"token": user_token(user), "pid": handshake["pid"], "offset": last_offset}
        recovered, first = socketio_connect(f"ws://127.0.0.1:{port}", auth=auth)
        frames = [first, recovered.receive_skipping_pings(), recovered.receive_skipping_pings()]
        assert [json.loads(frame[2:])[1] for frame in frames[:2]] == [2, 3], frames
        assert json.loads(frames[2][2:]) == handshake, "the old socket id and pid come back"
        recovered.close()
        process.kill()
        process.wait(10)
        process = start_gateway(f"sqlite:{tmp_path / 'wiped.db'}", port)
        wait_healthy(url, process)
        fresh, reply = socketio_connect(f"ws://127.0.0.1:{port}", auth=auth)
        assert json.loads(reply[2:])["sid"] != handshake["sid"]
        fresh.close()
    finally:
        process.kill()
        process.wait(10)


def test_a_reconnect_with_a_pid_still_needs_a_valid_token(gateway: Gateway) -> None:
    user = new_user("reauth")
    socket, reply = socketio_connect(gateway.ws_url, auth={"token": user_token(user)})
    pid = json.loads(reply[2:])["pid"]
    socket.close()
    expired = user_token(user, exp=int(time.time()) - 3600)
    socket, reply = socketio_connect(gateway.ws_url, auth={"token": expired, "pid": pid, "offset": None})
    try:
        assert socket.receive_skipping_pings() == '42["error",{"message":"Authentication failed"}]'
    finally:
        socket.close()

"""No sticky sessions: HAProxy round-robin sends each HTTP request to the next node, and a
polling request or WebSocket upgrade that reaches a node other than the session's owner is
forwarded to it. Proven with python-socketio polling-only and with its default transports,
with the stock JS client in Chromium, and with raw requests sent to a chosen node."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.chromium import Chromium, PageServer, serve_pages
from support.clients import POLLING_ONLY, POLLING_THEN_UPGRADE, RecordingClient
from support.cluster import Cluster
from support.gateway import API_KEYS
from support.raw import Polling, RawSocket, payload_records
from support.rest import Rest
from support.tokens import new_user, user_token

pytestmark = [pytest.mark.gateway_only, pytest.mark.cluster]

PAGE = Path(__file__).parent / "browser" / "index.html"
# Pings every second: several rounds, each a request the balancer may send anywhere.
HEARTBEAT = {"GATEWAY_PING_INTERVAL_MS": "1000", "GATEWAY_PING_TIMEOUT_MS": "2000"}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    running = Cluster(tmp_path_factory.mktemp("cluster-transports"), node_environment=HEARTBEAT).start()
    yield running
    running.close()


def rests(cluster: Cluster) -> list[Rest]:
    return [Rest(node.url, API_KEYS[0]) for node in cluster.nodes]


def spread(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {name: after[name] - before.get(name, 0) for name in after}


def full_session_through_the_balancer(cluster: Cluster, client: RecordingClient, user: str) -> None:
    """Events both ways: message + ack + messageReceived, and pushes from REST on each node."""
    client.wait_for("connected")
    sid = client.client.eio.sid
    assert sid.split(".", 1)[0] in {node.node_id for node in cluster.nodes}, f"sid {sid} names no node"
    for index in range(3):
        ack = client.call("message", {"message": f"hello {index}"})
        assert ack["success"] is True and ack["data"]["receivedMessage"] == f"hello {index}"
    assert len(client.all("messageReceived")) >= 1
    for index, rest in enumerate(rests(cluster)):
        assert rest.send(user, "notification", {"n": index}).json()["success"] is True
        assert rest.send(user, "notification", {"live": index}, persist=False).json()["success"] is True
    for index in range(3):
        client.wait_for("notification", where=lambda data, *_: data == {"n": index})
        client.wait_for("notification", where=lambda data, *_: data == {"live": index})
    assert client.client.eio.sid == sid, "the session never changed"
    assert "disconnect" not in client.names()


def test_python_socketio_polling_only_through_round_robin(cluster: Cluster, clients: list[RecordingClient]) -> None:
    user = new_user("poll-lb")
    before = cluster.balancer.requests_served()
    client = RecordingClient()
    clients.append(client)
    client.connect(cluster.balancer.url, user_token(user), transports=POLLING_ONLY)
    full_session_through_the_balancer(cluster, client, user)
    assert client.transport() == "polling"
    served = spread(before, cluster.balancer.requests_served())
    assert all(count > 0 for count in served.values()), f"round-robin skipped a node: {served}"


def test_python_socketio_default_transports_upgrade_through_round_robin(
    cluster: Cluster, clients: list[RecordingClient]
) -> None:
    user = new_user("upgrade-lb")
    client = RecordingClient()
    clients.append(client)
    client.connect(cluster.balancer.url, user_token(user), transports=POLLING_THEN_UPGRADE)
    client.wait_transport("websocket", timeout=10)
    full_session_through_the_balancer(cluster, client, user)
    assert client.transport() == "websocket"


def poll_until(reader: Polling, writer: Polling, sid: str, prefix: str, attempts: int = 10) -> list[str]:
    """GETs through `reader` (answering pings through `writer`) until a record starts with
    `prefix`; returns the records up to it."""
    records: list[str] = []
    for _ in range(attempts):
        answer = reader.get(sid)
        assert answer.status_code == 200, answer.text
        for record in payload_records(answer.text):
            if record == "2":
                assert writer.post(sid, "3").status_code == 200
            else:
                records.append(record)
            if record.startswith(prefix):
                return records
    raise AssertionError(f"no {prefix} record in {attempts} polls: {records}")


def test_polling_requests_and_the_upgrade_sent_to_other_nodes_reach_the_owner(cluster: Cluster) -> None:
    n1, n2, n3 = cluster.nodes
    user = new_user("forwarded")
    owner = Polling(n1.url)
    sid, opened = owner.handshake()
    assert sid.startswith("n1.") and opened["upgrades"] == ["websocket"]
    at_n2, at_n3 = Polling(n2.url), Polling(n3.url)
    posted = at_n2.post(sid, "40" + json.dumps({"token": user_token(user)}))
    assert posted.status_code == 200 and posted.text == "ok", posted.text
    records = poll_until(at_n3, at_n2, sid, '42["connected"')
    assert records[0].startswith("40{"), records
    assert Rest(n2.url, API_KEYS[0]).send(user, "notification", {"via": "n2"}).json()["success"] is True
    pushed = poll_until(at_n2, at_n3, sid, '42["notification"')
    assert pushed[-1].startswith('42["notification",{"via":"n2"},"'), pushed

    # The upgrade, sent to n3, is spliced to n1.
    socket = RawSocket(f"{n3.ws_url}/socket.io/?EIO=4&transport=websocket&sid={sid}")
    try:
        socket.send("2probe")
        assert socket.receive_skipping_pings() == "3probe"
        socket.send("5")
        assert Rest(n3.url, API_KEYS[0]).send(user, "notification", {"via": "ws"}).json()["success"] is True
        frame = socket.receive_skipping_pings()
        assert isinstance(frame, str) and frame.startswith('42["notification",{"via":"ws"},"'), frame
        socket.send('42["message",{"message":"over the splice"}]')
        frame = socket.receive_skipping_pings()
        assert isinstance(frame, str) and frame.startswith('42["messageReceived",'), frame
        assert json.loads(frame[2:])[1]["data"]["receivedMessage"] == "over the splice"
    finally:
        socket.close()


def test_a_polling_request_with_a_made_up_node_id_is_session_id_unknown(cluster: Cluster) -> None:
    for sid in ("n9.AAAAAAAAAAAAAAAAAAAA", "nobody", "n2.not-a-session"):
        answer = Polling(cluster.node("n1").url).get(sid)
        assert answer.status_code == 400, (sid, answer.text)
        assert answer.json() == {"code": 1, "message": "Session ID unknown"}


@pytest.fixture(scope="module")
def page_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PageServer]:
    server = serve_pages(tmp_path_factory.mktemp("cluster-page"), PAGE)
    yield server
    server.close()


@pytest.mark.browser
def test_stock_client_in_chromium_with_default_transports_through_round_robin(
    cluster: Cluster, browser: Chromium, page_server: PageServer
) -> None:
    user = new_user("browser-lb")
    query = urllib.parse.urlencode({"gateway": cluster.balancer.url, "token": user_token(user)})
    browser.navigate(f"{page_server.url}/index.html?{query}")
    connected = browser.wait_until("window.results && window.results.events.find(e => e.type === 'connected')")
    assert connected["data"]["userId"] == user
    assert browser.wait_until("window.results.events.find(e => e.type === 'open')")["data"] == {"transport": "polling"}
    assert browser.wait_until("window.results.events.find(e => e.type === 'upgrade')")["data"] == "websocket"
    sid = browser.evaluate("socket.io.engine.id")
    assert sid.split(".", 1)[0] in {"n1", "n2", "n3"}, sid

    ack = browser.evaluate("sendMessage('héllo through HAProxy')")
    assert ack["success"] is True and ack["data"]["receivedMessage"] == "héllo through HAProxy"
    for index, rest in enumerate(rests(cluster)):
        assert rest.send(user, "note", {"n": index}).json()["success"] is True
    browser.wait_until("window.results.notes.length >= 3")
    assert browser.evaluate("window.results.notes") == [{"n": 0}, {"n": 1}, {"n": 2}]
    browser.wait_until("window.results.pings >= 2", timeout=10)
    results = browser.evaluate("window.results")
    assert [event for event in results["events"] if event["type"] in ("disconnect", "connect_error")] == []
    assert browser.evaluate("currentTransport()") == "websocket"
    assert browser.evaluate("socket.io.engine.id") == sid

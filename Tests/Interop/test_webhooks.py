"""Signed webhooks against a real receiver that verifies them with PyPI's standardwebhooks:
presence, receipts, forwarded client events (queued and sync), and at-least-once delivery
through a receiver that is down, failing, slow, and a gateway restarted with a full outbox."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.clients import WEBSOCKET_ONLY, RecordingClient
from support.gateway import API_KEYS, Gateway
from support.rest import Rest
from support.tokens import new_user, user_token
from support.webhooks import SECRET, Receiver

pytestmark = pytest.mark.gateway_only


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    started = Receiver().start()
    yield started
    started.stop()


def hooked(tmp_path: Path, url: str, **extra: str) -> Gateway:
    tmp_path.mkdir(parents=True, exist_ok=True)
    environment = {
        "GATEWAY_WEBHOOK_URL": url,
        "GATEWAY_WEBHOOK_SECRET": SECRET,
        "GATEWAY_PRESENCE_GRACE_MS": "200",
        "GATEWAY_STORE": f"sqlite:{tmp_path / 'hooks.db'}",
        **extra,
    }
    return Gateway(f"webhooks-{new_user('gw')}", tmp_path, environment).start()


def test_presence_receipts_and_client_events_arrive_signed(
    tmp_path: Path, receiver: Receiver, clients: list[RecordingClient]
) -> None:
    gateway = hooked(tmp_path, receiver.url, GATEWAY_WEBHOOK_CLIENT_EVENTS="order,chat")
    try:
        rest = Rest(gateway.url, API_KEYS[0])
        user = new_user("hooked")
        client = RecordingClient().connect(gateway.url, user_token(user), transports=WEBSOCKET_ONLY)
        clients.append(client)
        client.wait_for("connected")
        receiver.wait_for(lambda got: any(r.body["type"] == "user.online" for r in got))
        message_id = rest.send(user, "note", {"n": 1}).json()["messageId"]
        offset = client.wait_for("note")[1]
        assert client.call("delivered", {"offset": offset}) == {"success": True}
        assert client.call("read", {"messageIds": [message_id]}) == {"success": True}
        assert client.call("order", {"sku": "A-1", "qty": 2}) == {"success": True}
        client.emit("ignored-event", {"x": 1})
        client.disconnect()
        got = receiver.wait_for(lambda got: any(r.body["type"] == "user.offline" for r in got))
        assert all(r.verified for r in got), "every event verifies with standardwebhooks"
        types = [r.body["type"] for r in got]
        assert types == ["user.online", "message.delivered", "message.read", "client.event", "user.offline"], types
        by_type = {r.body["type"]: r.body for r in got}
        assert by_type["message.read"]["data"]["messageId"] == message_id
        assert by_type["message.read"]["data"]["userId"] == user
        event = by_type["client.event"]["data"]
        assert event["event"] == "order" and event["args"] == [{"sku": "A-1", "qty": 2}]
        assert event["userId"] == user and isinstance(event["socketId"], str)
        assert by_type["user.offline"]["data"]["lastSeen"].endswith("Z")
        assert len({r.id for r in got}) == len(got)
    finally:
        gateway.stop()


def test_a_sync_client_event_is_answered_with_the_backends_json(
    tmp_path: Path, receiver: Receiver, clients: list[RecordingClient]
) -> None:
    receiver.answer = {"accepted": True, "id": 42}
    gateway = hooked(
        tmp_path, receiver.url, GATEWAY_WEBHOOK_CLIENT_EVENTS="*", GATEWAY_WEBHOOK_CLIENT_EVENTS_SYNC="true"
    )
    try:
        client = RecordingClient().connect(gateway.url, user_token(new_user("sync")), transports=WEBSOCKET_ONLY)
        clients.append(client)
        client.wait_for("connected")
        assert client.call("chat", {"text": "hi"}) == {"accepted": True, "id": 42}
        # `message` is the gateway's own (the seed's reply), never forwarded by `*`.
        assert client.call("message", {"message": "x"})["success"] is True
    finally:
        gateway.stop()


def test_a_receiver_down_failing_then_slow_still_gets_every_event_in_order(
    tmp_path: Path, clients: list[RecordingClient]
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    late = Receiver(fail_first=2)
    gateway = hooked(
        tmp_path, f"http://127.0.0.1:{port}/hooks", GATEWAY_WEBHOOK_CLIENT_EVENTS="step",
        GATEWAY_WEBHOOK_TIMEOUT_MS="500",
    )
    try:
        client = RecordingClient().connect(gateway.url, user_token(new_user("down")), transports=WEBSOCKET_ONLY)
        clients.append(client)
        client.wait_for("connected")
        for index in range(5):
            assert client.call("step", {"n": index}) == {"success": True}
        # The receiver comes up (answering 500 twice first), then is slow once.
        late.start(port)
        got = late.wait_for(lambda got: sum(r.body["type"] == "client.event" for r in got) == 5, timeout=30)
        steps = [r.body["data"]["args"][0]["n"] for r in got if r.body["type"] == "client.event"]
        assert steps == [0, 1, 2, 3, 4], "one user's events leave in order, a failure holds back the rest"
        first = next(r.id for r in got if r.body["type"] == "client.event")
        assert late.attempts.count(first) == 3, "the same webhook-id on every retry"
        late.wait_for(lambda got: any(r.body["type"] == "user.online" for r in got), timeout=30)
        with late.condition:
            late.delay, late.slow_first = 1.0, 1  # once over the 500 ms timeout: retried
        assert client.call("step", {"n": 5}) == {"success": True}
        got = late.wait_for(lambda got: any(r.body["data"].get("args") == [{"n": 5}] for r in got), timeout=30)
        sixth = [r for r in got if r.body["data"].get("args") == [{"n": 5}]]
        assert len(sixth) <= 2, "at most the attempt that timed out, and its retry"
    finally:
        gateway.stop()
        late.stop()


def test_a_restart_resumes_a_full_outbox(tmp_path: Path, clients: list[RecordingClient]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/hooks"
    gateway = hooked(tmp_path, url, GATEWAY_WEBHOOK_CLIENT_EVENTS="queued")
    client = RecordingClient().connect(gateway.url, user_token(new_user("outbox")), transports=WEBSOCKET_ONLY)
    clients.append(client)
    client.wait_for("connected")
    for index in range(20):
        assert client.call("queued", {"n": index}) == {"success": True}
    client.close()
    gateway.kill()
    receiver = Receiver().start(port)
    restarted = hooked(tmp_path, url)
    try:
        got = receiver.wait_for(lambda got: sum(r.body["type"] == "client.event" for r in got) == 20, timeout=30)
        steps = [r.body["data"]["args"][0]["n"] for r in got if r.body["type"] == "client.event"]
        assert steps == list(range(20))
        assert all(r.verified for r in got)
    finally:
        restarted.stop()
        receiver.stop()


def test_https_receivers_are_verified_against_trusted_roots(
    tmp_path: Path, clients: list[RecordingClient]
) -> None:
    """A receiver with a certificate from a CA the gateway trusts (SSL_CERT_FILE, as for any
    OpenSSL program) gets the events; the same receiver is refused when that CA is not trusted."""
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost", "-days", "1",
         "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True,
    )
    receiver = Receiver(tls=(str(certificate), str(key))).start()
    url = f"https://localhost:{receiver.port}/hooks"
    trusted = hooked(tmp_path / "trusted", url, GATEWAY_WEBHOOK_CLIENT_EVENTS="secure", SSL_CERT_FILE=str(certificate))
    untrusted = hooked(tmp_path / "untrusted", url, GATEWAY_WEBHOOK_CLIENT_EVENTS="secure")
    try:
        for gateway, user in ((untrusted, new_user("untrusted")), (trusted, new_user("trusted"))):
            client = RecordingClient().connect(gateway.url, user_token(user), transports=WEBSOCKET_ONLY)
            clients.append(client)
            client.wait_for("connected")
            assert client.call("secure", {"by": user}) == {"success": True}
        got = receiver.wait_for(lambda got: any(r.body["type"] == "client.event" for r in got))
        assert [r.body["data"]["userId"] for r in got if r.body["type"] == "client.event"] == [user]
        assert all(r.verified for r in got)
    finally:
        trusted.stop()
        untrusted.stop()
        receiver.stop()

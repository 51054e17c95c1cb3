"""GATEWAY_LOG_FORMAT=json, black box: every line the binary writes is one JSON object with
`time`, `level` and `msg` first and the event's fields after, and no credential (user token,
bad token, admin JWT, API key) ever reaches the log, at debug level included."""

from __future__ import annotations

import json
import re
import time

import pytest
import requests

from conftest import started
from support.clients import RecordingClient
from support.gateway import API_KEYS, Gateway, GatewayPool
from support.rest import Rest
from support.tokens import admin_token, mint, new_user, user_token

pytestmark = pytest.mark.gateway_only

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture(scope="module")
def json_gateway(gateway_pool: GatewayPool) -> Gateway:
    environment = {"GATEWAY_LOG_FORMAT": "json", "GATEWAY_LOG_LEVEL": "debug"}
    return started(gateway_pool, "json-logs", environment)


def gateway_lines(gateway: Gateway, since: int) -> list[str]:
    """The gateway's own lines (the harness writes `--- start` markers into the same file)."""
    return [line for line in gateway.log_text(since).splitlines() if line and not line.startswith("--- ")]


def wait_for_line(gateway: Gateway, since: int, needle: str, timeout: float = 5.0) -> list[str]:
    deadline = time.monotonic() + timeout
    while True:
        lines = gateway_lines(gateway, since)
        if any(needle in line for line in lines):
            return lines
        assert time.monotonic() < deadline, f"no log line with {needle!r} in {lines}"
        time.sleep(0.02)


def test_every_line_is_one_json_object_and_no_credential_is_logged(
    json_gateway: Gateway, clients: list[RecordingClient]
) -> None:
    since = json_gateway.log_size()
    user = new_user("logs")
    good = user_token(user)
    wrong_secret = mint({"sub": user, "exp": int(time.time()) + 60}, secret="another-secret-of-thirty-two-bytes!!")
    admin = admin_token()

    client = RecordingClient().connect(json_gateway.url, token=good)
    clients.append(client)
    client.wait_for("connected")
    refused = RecordingClient().connect(json_gateway.url, token=wrong_secret)
    clients.append(refused)
    refused.wait_for_server_disconnect()
    assert Rest(json_gateway.url, admin).send(user, "notification", {"n": 1}).status_code == 201
    assert Rest(json_gateway.url, API_KEYS[1]).get("/api/gateway/stats").status_code == 200
    requests.get(f"{json_gateway.url}/api/gateway/stats", headers={"Authorization": f"Bearer {wrong_secret}"}, timeout=5)
    client.disconnect()
    lines = wait_for_line(json_gateway, since, '"msg":"disconnected"')

    events = []
    for line in lines:
        record = json.loads(line)
        assert isinstance(record, dict), line
        assert list(record)[:3] == ["time", "level", "msg"], line
        assert TIME.match(record["time"]), line
        assert record["level"] in {"debug", "info", "warn", "error"}, line
        assert all(isinstance(value, str) for value in record.values()), line
        events.append(record["msg"])
    assert "connected" in events and "authentication failed" in events and "disconnected" in events
    failure = next(json.loads(line) for line in lines if '"authentication failed"' in line)
    assert failure["reason"] == "badSignature"

    text = "\n".join(lines)
    for secret in (good, wrong_secret, admin, *API_KEYS):
        assert secret not in text
        # Nor a recognisable part of a JWT (its signature segment).
        assert secret.split(".")[-1] not in text

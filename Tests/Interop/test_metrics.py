"""GET /metrics, black box: the Prometheus text format as prometheus_client parses it, the
credentials it takes (REST API credential or GATEWAY_METRICS_TOKEN), and counters that move
with real traffic from a client nobody here wrote."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from conftest import started
from support.clients import RecordingClient
from support.gateway import API_KEYS, Gateway, GatewayPool
from support.rest import Rest
from support.tokens import admin_token, new_user, user_token

pytestmark = pytest.mark.gateway_only

SCRAPE_TOKEN = "interop-metrics-scrape-token"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@pytest.fixture(scope="session")
def metrics_gateway(gateway_pool: GatewayPool) -> Gateway:
    """A gateway with GATEWAY_METRICS_TOKEN set."""
    return started(gateway_pool, "metrics-token", {"GATEWAY_METRICS_TOKEN": SCRAPE_TOKEN})


@pytest.fixture
def metrics_rest(metrics_gateway: Gateway) -> Iterator[Rest]:
    client = Rest(metrics_gateway.url, API_KEYS[0])
    yield client
    client.session.close()


def scrape(gateway: Gateway, credential: str | None = API_KEYS[0]) -> requests.Response:
    headers = {"Authorization": f"Bearer {credential}"} if credential is not None else {}
    return requests.get(f"{gateway.url}/metrics", headers=headers, timeout=10)


def samples(gateway: Gateway) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a scrape, keyed by name and sorted labels."""
    response = scrape(gateway)
    assert response.status_code == 200, response.text
    values = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            values[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return values


def value(values: dict, name: str, **labels: str) -> float:
    return values.get((name, tuple(sorted(labels.items()))), 0.0)


def test_scrape_parses_with_prometheus_client_and_has_every_documented_family(metrics_gateway: Gateway) -> None:
    response = scrape(metrics_gateway)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == CONTENT_TYPE
    families = {family.name: family for family in text_string_to_metric_families(response.text)}
    expected = {
        "gateway_tcp_connections_open": "gauge",
        "gateway_sockets_connected": "gauge",
        "gateway_users_connected": "gauge",
        "gateway_tcp_connections_accepted": "counter",
        "gateway_tcp_connections_refused": "counter",
        "gateway_socket_connects": "counter",
        "gateway_socket_disconnects": "counter",
        "gateway_auth_failures": "counter",
        "gateway_events_received": "counter",
        "gateway_events_delivered": "counter",
        "gateway_bytes_received": "counter",
        "gateway_bytes_sent": "counter",
        "gateway_slow_consumer_closes": "counter",
        "gateway_rest_requests": "counter",
        "gateway_rest_request_duration_seconds": "histogram",
        "gateway_push_duration_seconds": "histogram",
        "gateway_process_cpu_seconds": "counter",
        "gateway_process_resident_memory_bytes": "gauge",
        "gateway_process_open_fds": "gauge",
    }
    for name, kind in expected.items():
        assert name in families, f"{name} missing from /metrics"
        assert families[name].type == kind, (name, families[name].type)
        assert families[name].documentation, f"{name} has no HELP"
    for family in families.values():
        assert family.name.startswith("gateway_")


def test_histograms_are_cumulative_and_inf_equals_count(metrics_gateway: Gateway, metrics_rest: Rest) -> None:
    metrics_rest.get("/api/gateway/stats").raise_for_status()
    response = scrape(metrics_gateway)

    for family in text_string_to_metric_families(response.text):
        if family.type != "histogram":
            continue
        series: dict[tuple, list] = {}
        counts: dict[tuple, float] = {}
        for sample in family.samples:
            key = tuple(sorted((k, v) for k, v in sample.labels.items() if k != "le"))
            if sample.name.endswith("_bucket"):
                series.setdefault(key, []).append((float(sample.labels["le"]), sample.value))
            elif sample.name.endswith("_count"):
                counts[key] = sample.value
        for key, buckets in series.items():
            assert buckets[-1][0] == float("inf"), (family.name, key)
            bucket_values = [count for _, count in buckets]
            assert bucket_values == sorted(bucket_values), (family.name, key, bucket_values)
            assert bucket_values[-1] == counts[key], (family.name, key)


def test_a_connect_a_push_and_an_event_move_their_counters(
    metrics_gateway: Gateway, metrics_rest: Rest, clients: list[RecordingClient]
) -> None:
    before = samples(metrics_gateway)
    user = new_user("metrics")
    client = RecordingClient().connect(metrics_gateway.url, token=user_token(user))
    clients.append(client)
    client.wait_for("connected")
    client.call("message", {"message": "hello"})

    assert metrics_rest.send(user, "notification", {"n": 1}).status_code == 201
    client.wait_for("notification")
    after = samples(metrics_gateway)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("gateway_socket_connects_total") >= 1
    assert delta("gateway_events_received_total") >= 1
    assert delta("gateway_events_delivered_total") >= 1
    assert delta("gateway_push_duration_seconds_count") >= 1
    assert delta("gateway_bytes_received_total") > 0
    assert delta("gateway_bytes_sent_total") > 0
    route = {"method": "POST", "route": "/api/gateway/send"}
    assert delta("gateway_rest_requests_total", code="201", **route) >= 1
    assert delta("gateway_rest_request_duration_seconds_count", **route) >= 1
    assert value(after, "gateway_users_connected") >= 1
    assert value(after, "gateway_process_resident_memory_bytes") > 0


def test_a_bad_token_and_a_disconnect_are_counted_by_reason(
    metrics_gateway: Gateway, clients: list[RecordingClient]
) -> None:
    before = samples(metrics_gateway)
    refused = RecordingClient().connect(metrics_gateway.url, token="not-a-jwt")
    clients.append(refused)
    refused.wait_for_server_disconnect()
    leaving = RecordingClient().connect(metrics_gateway.url, token=user_token(new_user("leaver")))
    clients.append(leaving)
    leaving.wait_for("connected")
    leaving.disconnect()
    disconnects = "gateway_socket_disconnects_total"
    # python-socketio sends DISCONNECT and closes the transport at once: either may be seen
    # first. The server handles it after disconnect() returns, so scrape until it shows
    # (each scrape is a round trip), within a deadline.
    reasons = ("client namespace disconnect", "transport close")

    def left(values: dict) -> float:
        return sum(value(values, disconnects, reason=reason) for reason in reasons)

    deadline = time.monotonic() + 5
    after = samples(metrics_gateway)
    while left(after) == left(before):
        assert time.monotonic() < deadline, "the disconnect was never counted"
        after = samples(metrics_gateway)

    failures = "gateway_auth_failures_total"
    assert value(after, failures, reason="malformed") == value(before, failures, reason="malformed") + 1
    assert left(after) >= left(before) + 1


def test_route_labels_use_templates_not_user_ids(metrics_gateway: Gateway, metrics_rest: Rest) -> None:
    user = new_user("secret")
    metrics_rest.get(f"/api/gateway/status/{user}").raise_for_status()
    text = scrape(metrics_gateway).text

    assert user not in text
    assert 'route="/api/gateway/status/:userId"' in text


def test_metrics_without_credentials_is_401_in_the_nest_shape(metrics_gateway: Gateway) -> None:
    response = scrape(metrics_gateway, credential=None)

    assert response.status_code == 401
    body = response.json()
    assert body["statusCode"] == 401 and body["error"] == "Unauthorized" and body["message"]


def test_metrics_with_a_plain_user_token_is_403(metrics_gateway: Gateway) -> None:
    assert scrape(metrics_gateway, credential=user_token(new_user())).status_code == 403


def test_metrics_takes_an_admin_jwt_and_the_metrics_token(metrics_gateway: Gateway) -> None:
    assert scrape(metrics_gateway, credential=admin_token()).status_code == 200
    response = scrape(metrics_gateway, credential=SCRAPE_TOKEN)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == CONTENT_TYPE
    assert scrape(metrics_gateway, credential=SCRAPE_TOKEN + "x").status_code == 401


def test_the_metrics_token_does_not_open_the_rest_api(metrics_gateway: Gateway) -> None:
    response = Rest(metrics_gateway.url, SCRAPE_TOKEN).get("/api/gateway/stats")
    assert response.status_code == 401


def test_metrics_token_is_unset_by_default(gateway: Gateway) -> None:
    assert scrape(gateway, credential=SCRAPE_TOKEN).status_code == 401
    assert scrape(gateway).status_code == 200

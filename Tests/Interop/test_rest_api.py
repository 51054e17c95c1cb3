"""The seed's REST API, black box: exact bodies, statuses, auth and NestJS-shaped errors."""

from __future__ import annotations

import http.client
import time

import pytest

from support.clients import RecordingClient
from support.gateway import API_KEYS, Gateway
from support.rest import Rest, compact
from support.tokens import mint, new_user, user_token

ENDPOINTS = [
    ("POST", "/api/gateway/send", {"userId": "u", "event": "notification", "message": {}}),
    ("POST", "/api/gateway/send-many", {"userIds": ["u"], "event": "notification", "message": {}}),
    ("GET", "/api/gateway/status/u", None),
    ("GET", "/api/gateway/connected", None),
    ("GET", "/api/gateway/stats", None),
]
ENDPOINT_IDS = [f"{method} {path}" for method, path, _ in ENDPOINTS]
RESERVED = ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]
REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
}


def assert_nest_error(response: object, status: int) -> None:
    """`{"statusCode":N,"message":...,"error":"<reason>"}` with a message that says something."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["statusCode"] == status
    assert body["error"] == REASONS[status]
    message = body["message"]
    assert (isinstance(message, str) and message) or (isinstance(message, list) and message), body


def online(gateway: Gateway, clients: list[RecordingClient], user: str) -> RecordingClient:
    client = RecordingClient().connect(gateway.url, token=user_token(user))
    clients.append(client)
    client.wait_for("connected")
    return client


def test_send_to_connected_user_answers_201_with_exact_body(
    gateway: Gateway, rest: Rest, clients: list[RecordingClient]
) -> None:
    user = new_user()
    online(gateway, clients, user)

    response = rest.send(user, "notification", {"title": "Test", "body": "This is a test notification"}, persist=False)

    assert response.status_code == 201
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.content == f'{{"success":true,"message":"Message sent to user {user}"}}'.encode()


def test_send_to_offline_user_answers_201_not_connected(rest: Rest) -> None:
    user = "507f1f77bcf86cd799439011-offline"
    response = rest.send(user, "notification", {"title": "New Message"}, persist=False)
    assert response.status_code == 201
    assert response.content == f'{{"success":false,"message":"User {user} is not connected"}}'.encode()


def test_status_answers_exact_body_for_both_states(
    gateway: Gateway, rest: Rest, clients: list[RecordingClient]
) -> None:
    user = new_user()
    assert rest.get(f"/api/gateway/status/{user}").content == f'{{"userId":"{user}","connected":false}}'.encode()
    online(gateway, clients, user)
    response = rest.get(f"/api/gateway/status/{user}")
    assert response.status_code == 200
    assert response.content == f'{{"userId":"{user}","connected":true}}'.encode()


def test_connected_and_stats_list_connected_users(gateway: Gateway, rest: Rest, clients: list[RecordingClient]) -> None:
    users = [new_user("listed") for _ in range(2)]
    for user in users:
        online(gateway, clients, user)
    online(gateway, clients, users[0])  # a second tab must not count the user twice

    connected = rest.get("/api/gateway/connected")
    stats = rest.get("/api/gateway/stats")

    assert connected.status_code == stats.status_code == 200
    listed = connected.json()
    assert list(listed)[:2] == ["connectedUsers", "count"]
    assert set(users) <= set(listed["connectedUsers"])
    assert listed["count"] == len(listed["connectedUsers"]) == len(set(listed["connectedUsers"]))
    numbers = stats.json()
    assert list(numbers)[:2] == ["connectedUsers", "userIds"]
    assert set(users) <= set(numbers["userIds"])
    assert numbers["connectedUsers"] == len(numbers["userIds"])
    if "connections" in numbers:
        assert numbers["connections"] >= numbers["connectedUsers"] + 1


def test_requests_reuse_one_keep_alive_connection(gateway: Gateway) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", gateway.port, timeout=5)
    headers = {"Authorization": f"Bearer {API_KEYS[0]}", "Content-Type": "application/json"}
    try:
        first_socket = None
        for index in range(5):
            body = compact({"userId": f"keepalive-{index}", "event": "ping", "message": index, "persist": False})
            connection.request("POST", "/api/gateway/send", body=body, headers=headers)
            response = connection.getresponse()
            assert response.status == 201
            expected = f'{{"success":false,"message":"User keepalive-{index} is not connected"}}'
            assert response.read() == expected.encode()
            assert (response.getheader("Connection") or "").lower() != "close"
            first_socket = first_socket or connection.sock
            assert connection.sock is first_socket, "the server closed the keep-alive connection"
            connection.request("GET", "/api/gateway/stats", headers=headers)
            stats = connection.getresponse()
            assert stats.status == 200
            stats.read()
    finally:
        connection.close()


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_every_endpoint_refuses_missing_credentials_with_401(
    gateway: Gateway, method: str, path: str, body: object
) -> None:
    assert_nest_error(Rest(gateway.url, None).request(method, path, body), 401)


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_every_endpoint_refuses_plain_user_token_with_403(
    gateway: Gateway, method: str, path: str, body: object
) -> None:
    assert_nest_error(Rest(gateway.url, user_token(new_user())).request(method, path, body), 403)


@pytest.mark.parametrize(
    "credential",
    [
        "not-a-jwt",
        "interop-key-unknown",
        mint({"sub": "ops", "roles": ["admin"], "exp": int(time.time()) - 3600}),
        mint({"sub": "ops", "roles": ["admin"]}, secret="a-different-secret-of-thirty-two-bytes-or-more"),
    ],
    ids=["garbage", "unknown_api_key", "expired_admin_jwt", "wrongly_signed_admin_jwt"],
)
def test_invalid_credentials_get_401(gateway: Gateway, credential: str) -> None:
    assert_nest_error(Rest(gateway.url, credential).get("/api/gateway/stats"), 401)


def test_non_bearer_scheme_gets_401(gateway: Gateway) -> None:
    response = Rest(gateway.url, None).get("/api/gateway/stats", headers={"Authorization": f"Basic {API_KEYS[0]}"})
    assert_nest_error(response, 401)


@pytest.mark.parametrize(
    "credential",
    [API_KEYS[0], API_KEYS[1], user_token("ops", roles=["admin"]), user_token("ops", role="admin")],
    ids=["api_key_one", "api_key_two", "roles_array", "role_string"],
)
def test_accepted_credentials(gateway: Gateway, credential: str) -> None:
    response = Rest(gateway.url, credential).get("/api/gateway/stats")
    assert response.status_code == 200, response.text


BAD_SEND_BODIES = {
    "not_json": b"{not json",
    "json_array": b"[]",
    "json_string": b'"hello"',
    "missing_userId": compact({"event": "notification", "message": {}}),
    "empty_userId": compact({"userId": "", "event": "notification", "message": {}}),
    "numeric_userId": compact({"userId": 7, "event": "notification", "message": {}}),
    "missing_event": compact({"userId": "u", "message": {}}),
    "numeric_event": compact({"userId": "u", "event": 5, "message": {}}),
    **{f"reserved_{name}": compact({"userId": "u", "event": name, "message": {}}) for name in RESERVED},
}
BAD_SEND_MANY_BODIES = {
    "missing_userIds": compact({"event": "notification", "message": {}}),
    "userIds_not_array": compact({"userIds": "u", "event": "notification", "message": {}}),
    "empty_userIds": compact({"userIds": [], "event": "notification", "message": {}}),
    "non_string_userId": compact({"userIds": ["u", 3], "event": "notification", "message": {}}),
    "reserved_event": compact({"userIds": ["u"], "event": "disconnect", "message": {}}),
    "missing_event": compact({"userIds": ["u"], "message": {}}),
}


@pytest.mark.parametrize("name", BAD_SEND_BODIES)
def test_send_with_invalid_body_gets_400(rest: Rest, name: str) -> None:
    response = rest.post("/api/gateway/send", BAD_SEND_BODIES[name], headers={"Content-Type": "application/json"})
    assert_nest_error(response, 400)


@pytest.mark.parametrize("name", BAD_SEND_MANY_BODIES)
def test_send_many_with_invalid_body_gets_400(rest: Rest, name: str) -> None:
    body = BAD_SEND_MANY_BODIES[name]
    response = rest.post("/api/gateway/send-many", body, headers={"Content-Type": "application/json"})
    assert_nest_error(response, 400)


def test_body_over_limit_gets_413(rest: Rest) -> None:
    body = compact({"userId": "u", "event": "notification", "message": "x" * 2_000_000})
    response = rest.post("/api/gateway/send", body, headers={"Content-Type": "application/json"})
    assert_nest_error(response, 413)


@pytest.mark.parametrize("path", ["/api/gateway/nope", "/api/gateway", "/nope", "/api/gateway/status"])
def test_unknown_route_gets_404(rest: Rest, path: str) -> None:
    assert_nest_error(rest.get(path), 404)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/gateway/send"),
        ("PUT", "/api/gateway/send-many"),
        ("DELETE", "/api/gateway/stats"),
        ("POST", "/api/gateway/status/u"),
        ("POST", "/api/gateway/connected"),
    ],
)
def test_wrong_method_gets_405(rest: Rest, method: str, path: str) -> None:
    assert_nest_error(rest.request(method, path), 405)


def test_healthz_answers_200(gateway: Gateway) -> None:
    assert Rest(gateway.url, None).get("/healthz").status_code == 200

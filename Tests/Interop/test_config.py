"""Configuration seen from outside: CORS origins (default and restricted) and the API role."""

from __future__ import annotations

import pytest
import requests

from support.conformance import websocket_refused_or_closed
from support.gateway import Gateway, GatewayPool
from support.raw import RawSocket, open_packet
from support.rest import Rest
from support.tokens import new_user, user_token

ALLOWED = "http://allowed.example"
FOREIGN = "http://evil.example"


@pytest.fixture(scope="module")
def cors_gateway(gateway_pool: GatewayPool) -> Gateway:
    return gateway_pool.get("cors-restricted", {"GATEWAY_CORS_ORIGINS": f"{ALLOWED},http://other.example"})


def handshake(gateway: Gateway, origin: str) -> requests.Response:
    return requests.get(f"{gateway.url}/socket.io/?EIO=4&transport=polling", headers={"Origin": origin}, timeout=5)


def preflight(gateway: Gateway, origin: str) -> requests.Response:
    return requests.options(
        f"{gateway.url}/socket.io/?EIO=4&transport=polling",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
        timeout=5,
    )


def test_default_cors_answers_any_origin(gateway: Gateway) -> None:
    response = handshake(gateway, FOREIGN)
    assert response.status_code == 200
    assert response.headers.get("Access-Control-Allow-Origin") in ("*", FOREIGN)


def test_default_cors_preflight_allows_authorization_header(gateway: Gateway) -> None:
    response = preflight(gateway, FOREIGN)
    assert response.status_code in (200, 204)
    assert response.headers.get("Access-Control-Allow-Origin") in ("*", FOREIGN)
    allowed = response.headers.get("Access-Control-Allow-Headers", "").lower()
    assert "authorization" in allowed or allowed == "*"


def test_restricted_cors_echoes_an_allowed_origin(cors_gateway: Gateway) -> None:
    response = handshake(cors_gateway, ALLOWED)
    assert response.status_code == 200
    assert response.headers.get("Access-Control-Allow-Origin") == ALLOWED
    assert "origin" in response.headers.get("Vary", "").lower()


def test_restricted_cors_preflight_for_allowed_origin(cors_gateway: Gateway) -> None:
    response = preflight(cors_gateway, ALLOWED)
    assert response.status_code in (200, 204)
    assert response.headers.get("Access-Control-Allow-Origin") == ALLOWED
    assert "authorization" in response.headers.get("Access-Control-Allow-Headers", "").lower()


def test_restricted_cors_gives_a_foreign_origin_no_allowance(cors_gateway: Gateway) -> None:
    response = handshake(cors_gateway, FOREIGN)
    # Refusing outright or leaving the header out both make the browser block the page.
    assert response.headers.get("Access-Control-Allow-Origin") not in ("*", FOREIGN)


def test_restricted_cors_refuses_websocket_from_foreign_origin(cors_gateway: Gateway) -> None:
    url = f"{cors_gateway.ws_url}/socket.io/?EIO=4&transport=websocket"
    allowed = RawSocket(url, headers={"Origin": ALLOWED})
    try:
        assert open_packet(allowed.receive())["upgrades"] == []
    finally:
        allowed.close()
    assert websocket_refused_or_closed(url, {"Origin": FOREIGN})


@pytest.mark.parametrize(
    ("role", "claims", "status"),
    [
        ("ops", {"roles": ["ops"]}, 200),
        ("ops", {"role": "ops"}, 200),
        ("ops", {"roles": ["admin"]}, 403),
        ("", {}, 200),
    ],
    ids=["custom_role_in_roles", "custom_role_string", "admin_without_custom_role", "empty_role_accepts_any_token"],
)
def test_api_role_setting(gateway_pool: GatewayPool, role: str, claims: dict[str, object], status: int) -> None:
    gateway = gateway_pool.get(f"api-role-{role or 'empty'}", {"GATEWAY_API_ROLE": role})
    response = Rest(gateway.url, user_token(new_user("operator"), **claims)).get("/api/gateway/stats")
    assert response.status_code == status, response.text

"""The stock socket.io-client in headless Chromium over HTTPS and WSS: the gateway serves a
certificate made for the test, which Chromium trusts by its public key
(`--ignore-certificate-errors-spki-list`, honoured with a user data dir), nothing else.
The page connects with default options (polling, then the upgrade to WebSocket) and
receives a REST push."""

from __future__ import annotations

import base64
import hashlib
import subprocess
from collections.abc import Iterator

import pytest
import requests

from conftest import started
from support.chromium import Chromium, find_chromium
from support.gateway import API_KEYS, Gateway, GatewayPool
from support.tokens import new_user, user_token
from test_browser import first_event, open_page, page_server  # noqa: F401 (a fixture)
from test_tls import make_certificate

pytestmark = pytest.mark.browser


def public_key_hash(certificate: str) -> str:
    """Base64 SHA-256 of the certificate's SubjectPublicKeyInfo, as Chromium wants it."""
    public_key = subprocess.run(
        ["openssl", "x509", "-pubkey", "-noout", "-in", certificate], check=True, capture_output=True
    ).stdout
    der = subprocess.run(
        ["openssl", "pkey", "-pubin", "-outform", "der"], input=public_key, check=True, capture_output=True
    ).stdout
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


@pytest.fixture(scope="module")
def tls_gateway(gateway_pool: GatewayPool, tmp_path_factory: pytest.TempPathFactory) -> Gateway:
    certificate, key = make_certificate(tmp_path_factory.mktemp("browser-tls"), "browser")
    environment = {"GATEWAY_TLS_CERT_FILE": certificate, "GATEWAY_TLS_KEY_FILE": key}
    return started(gateway_pool, "browser-tls", environment)


@pytest.fixture(scope="module")
def trusting_browser(tls_gateway: Gateway) -> Iterator[Chromium]:
    binary = find_chromium()
    if binary is None:
        pytest.fail("chromium not found: run scripts/setup (Debian package chromium)", pytrace=False)
    spki = public_key_hash(tls_gateway.tls_certificate)
    chromium = Chromium(binary, (f"--ignore-certificate-errors-spki-list={spki}",))
    yield chromium
    chromium.close()


def test_the_stock_client_connects_over_wss_and_receives_a_push(
    trusting_browser: Chromium,
    page_server,  # noqa: ANN001, F811
    tls_gateway: Gateway,
) -> None:
    user = new_user("browser-tls")
    open_page(trusting_browser, page_server, tls_gateway, user_token(user))
    connected = first_event(trusting_browser, "connected")
    assert connected["userId"] == user
    trusting_browser.wait_until("socket.io.engine.transport.name === 'websocket'")
    session = requests.Session()
    session.trust_env = False
    session.verify = tls_gateway.tls_certificate
    session.headers["Authorization"] = f"Bearer {API_KEYS[0]}"
    body = {"userId": user, "event": "notification", "message": {"over": "wss"}}
    assert session.post(f"{tls_gateway.url}/api/gateway/send", json=body, timeout=5).json()["success"] is True
    assert first_event(trusting_browser, "notification") == {"over": "wss"}
    assert tls_gateway.url.startswith("https://")

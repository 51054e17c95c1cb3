"""GATEWAY_TLS_CERT_FILE / GATEWAY_TLS_KEY_FILE, black box: with a certificate made by the
openssl CLI, the gateway serves HTTPS and WSS only. python-socketio connects over polling
then WebSocket, verifying the certificate; REST pushes reach it, large frames span many TLS
records, a plain-HTTP request gets a clear 400 and a garbage client is cut off, without
harming anyone else. A key
that does not match, or one file without the other, stops the start with a clear line."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import socketio

from conftest import started
from support.gateway import API_KEYS, Gateway, GatewayPool, base_command, base_environment, free_port
from support.tokens import new_user, user_token

pytestmark = pytest.mark.gateway_only


def make_certificate(directory: Path, name: str) -> tuple[str, str]:
    if shutil.which("openssl") is None:
        pytest.skip("no openssl CLI")
    certificate, key = directory / f"{name}-cert.pem", directory / f"{name}-key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", str(key), "-out", str(certificate), "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    return str(certificate), str(key)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tls")


@pytest.fixture(scope="module")
def tls_gateway(gateway_pool: GatewayPool, certificates: Path) -> Gateway:
    certificate, key = make_certificate(certificates, "gateway")
    environment = {"GATEWAY_TLS_CERT_FILE": certificate, "GATEWAY_TLS_KEY_FILE": key}
    return started(gateway_pool, "tls", environment)


@pytest.fixture
def https(tls_gateway: Gateway) -> Iterator[requests.Session]:
    session = requests.Session()
    session.trust_env = False  # else REQUESTS_CA_BUNDLE in the environment overrides `verify`
    session.verify = tls_gateway.tls_certificate
    session.headers["Authorization"] = f"Bearer {API_KEYS[0]}"
    yield session
    session.close()


class Received:
    """Events a client got, with a condition to wait on."""

    def __init__(self) -> None:
        self.events: list[tuple[str, tuple]] = []
        self.condition = threading.Condition()

    def record(self, event: str, *arguments: object) -> None:
        with self.condition:
            self.events.append((event, arguments))
            self.condition.notify_all()

    def wait_for(self, name: str, timeout: float = 5.0) -> tuple:
        with self.condition:
            found = self.condition.wait_for(
                lambda: any(event == name for event, _ in self.events), timeout=timeout
            )
            assert found, f"no {name!r} within {timeout}s; got {[event for event, _ in self.events]}"
            return next(arguments for event, arguments in self.events if event == name)


def tls_client(gateway: Gateway, user: str, transports: list[str]) -> tuple[socketio.Client, Received]:
    """A python-socketio client that verifies the gateway's certificate."""
    session = requests.Session()
    session.trust_env = False  # else REQUESTS_CA_BUNDLE in the environment overrides `verify`
    session.verify = gateway.tls_certificate
    client = socketio.Client(http_session=session, reconnection=False)
    received = Received()
    client.on("*", received.record)
    client.connect(gateway.url, auth={"token": user_token(user)}, transports=transports, wait_timeout=5)
    return client, received


def test_rest_over_https_verifies_the_certificate(tls_gateway: Gateway, https: requests.Session) -> None:
    assert tls_gateway.url.startswith("https://")
    assert https.get(f"{tls_gateway.url}/healthz").json() == {"status": "ok"}
    assert https.get(f"{tls_gateway.url}/api/gateway/stats").status_code == 200
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"{tls_gateway.url}/healthz", timeout=5)  # not signed by a known CA


@pytest.mark.parametrize("transports", [["polling", "websocket"], ["websocket"], ["polling"]])
def test_a_push_reaches_a_client_over_tls(
    tls_gateway: Gateway, https: requests.Session, transports: list[str]
) -> None:
    user = new_user("tls")
    client, received = tls_client(tls_gateway, user, transports)
    try:
        connected = received.wait_for("connected")
        assert connected[0]["userId"] == user
        big = "x" * 100_000  # many TLS records (16 KB each) in one frame
        body = {"userId": user, "event": "notification", "message": {"big": big}}
        assert https.post(f"{tls_gateway.url}/api/gateway/send", json=body).json()["success"] is True
        assert received.wait_for("notification")[0] == {"big": big}
        if "websocket" in transports:
            assert client.transport() == "websocket"
    finally:
        client.disconnect()


def test_plain_http_and_garbage_are_cut_off_and_the_gateway_serves_on(
    tls_gateway: Gateway, https: requests.Session
) -> None:
    plain = requests.get(f"http://127.0.0.1:{tls_gateway.port}/healthz", timeout=5)
    assert plain.status_code == 400
    assert plain.json()["statusCode"] == 400 and "https://" in plain.json()["message"]
    with socket.create_connection(("127.0.0.1", tls_gateway.port), timeout=5) as raw:
        raw.sendall(b"\x16\x03\x01\x00\x05hello-this-is-not-tls" * 20)
        raw.settimeout(5)
        try:
            while raw.recv(4096):
                pass
        except (ConnectionResetError, socket.timeout):
            pass
    # TLS 1.1 and older are refused (the gateway's minimum is 1.2).
    context = ssl.create_default_context(cafile=tls_gateway.tls_certificate)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = ssl.TLSVersion.TLSv1
        context.maximum_version = ssl.TLSVersion.TLSv1_1
    with pytest.raises((ssl.SSLError, ConnectionResetError)):
        with socket.create_connection(("127.0.0.1", tls_gateway.port), timeout=5) as raw:
            with context.wrap_socket(raw, server_hostname="127.0.0.1"):
                pass
    assert https.get(f"{tls_gateway.url}/healthz").status_code == 200


def run_gateway(environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        base_command(), env=base_environment(free_port()) | environment, capture_output=True, timeout=15, text=True
    )


def test_a_key_that_does_not_match_stops_the_start(certificates: Path) -> None:
    certificate, _ = make_certificate(certificates, "one")
    _, other_key = make_certificate(certificates, "two")
    result = run_gateway({"GATEWAY_TLS_CERT_FILE": certificate, "GATEWAY_TLS_KEY_FILE": other_key})
    assert result.returncode == 2
    assert "GATEWAY_TLS_KEY_FILE" in result.stderr and "does not match the certificate" in result.stderr


def test_one_file_without_the_other_stops_the_start(certificates: Path) -> None:
    certificate, _ = make_certificate(certificates, "lonely")
    result = run_gateway({"GATEWAY_TLS_CERT_FILE": certificate})
    assert result.returncode == 2
    assert "GATEWAY_TLS_CERT_FILE needs GATEWAY_TLS_KEY_FILE" in result.stderr
    result = run_gateway({"GATEWAY_TLS_CERT_FILE": "/nonexistent.pem", "GATEWAY_TLS_KEY_FILE": "/nonexistent.pem"})
    assert result.returncode == 2
    assert "cannot load a PEM certificate chain from /nonexistent.pem" in result.stderr

"""TLS in operation, black box: a chain from a test CA verified by python-socketio over WSS,
ALPN http/1.1 and the protocol floor, a client that stalls mid-handshake cut at
GATEWAY_TLS_HANDSHAKE_TIMEOUT_MS while others are served, the certificate reloaded on
SIGHUP (new connections see the new one, an open one stays connected, a bad file keeps the
old one), and `--dev --tls` with its printed fingerprint."""

from __future__ import annotations

import hashlib
import os
import queue
import shutil
import signal
import socket
import ssl
import subprocess
import threading
from pathlib import Path

import pytest
import requests

from conftest import started
from support.gateway import API_KEYS, Gateway, GatewayPool, base_command, base_environment, free_port
from support.hostile import read_until_close, wait_until
from support.tokens import new_user
from test_tls import Received, make_certificate

pytestmark = pytest.mark.gateway_only


def openssl(*arguments: str) -> None:
    subprocess.run(["openssl", *arguments], check=True, capture_output=True)


def make_ca_chain(directory: Path) -> tuple[str, str, str]:
    """A test CA and a leaf for 127.0.0.1/localhost signed by it; returns (CA certificate,
    chain file with the leaf first, leaf key)."""
    if shutil.which("openssl") is None:
        pytest.skip("no openssl CLI")
    ca, ca_key = directory / "ca.pem", directory / "ca-key.pem"
    leaf, leaf_key, request = directory / "leaf.pem", directory / "leaf-key.pem", directory / "leaf.csr"
    extensions = directory / "leaf.ext"
    extensions.write_text(
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
    )
    curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    openssl("req", "-x509", *curve, "-keyout", str(ca_key), "-out", str(ca), "-days", "2",
            "-subj", "/CN=Gateway Test CA", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")  # fmt: skip
    openssl("req", "-new", *curve, "-keyout", str(leaf_key), "-out", str(request), "-subj", "/CN=localhost")
    openssl("x509", "-req", "-in", str(request), "-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial",
            "-out", str(leaf), "-days", "2", "-extfile", str(extensions))  # fmt: skip
    chain = directory / "chain.pem"
    chain.write_text(leaf.read_text() + ca.read_text())
    return str(ca), str(chain), str(leaf_key)


@pytest.fixture(scope="module")
def ca_gateway(gateway_pool: GatewayPool, tmp_path_factory: pytest.TempPathFactory) -> tuple[Gateway, str]:
    ca, chain, key = make_ca_chain(tmp_path_factory.mktemp("tls-ca"))
    environment = {
        "GATEWAY_TLS_CERT_FILE": chain,
        "GATEWAY_TLS_KEY_FILE": key,
        # Counted from the accept: short enough to show a cut well before the 30 s idle
        # timeout, long enough that a loaded box still completes real handshakes within it.
        "GATEWAY_TLS_HANDSHAKE_TIMEOUT_MS": "2000",
    }
    return started(gateway_pool, "tls-ca", environment), ca


def verified_session(ca: str) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # else REQUESTS_CA_BUNDLE in the environment overrides `verify`
    session.verify = ca
    return session


def connect_client(gateway: Gateway, ca: str, user: str):  # noqa: ANN201
    import socketio

    from support.tokens import user_token

    client = socketio.Client(http_session=verified_session(ca), reconnection=False)
    received = Received()
    client.on("*", received.record)
    client.connect(gateway.url, auth={"token": user_token(user)}, transports=["websocket"], wait_timeout=5)
    received.wait_for("connected")
    return client, received


def push(gateway: Gateway, ca: str, user: str, message: object) -> dict:
    session = verified_session(ca)
    session.headers["Authorization"] = f"Bearer {API_KEYS[0]}"
    body = {"userId": user, "event": "notification", "message": message}
    return session.post(f"{gateway.url}/api/gateway/send", json=body, timeout=5).json()


def server_certificate(gateway: Gateway) -> bytes:
    """The DER certificate a new connection is served (no verification)."""
    return ssl.PEM_cert_to_DER_cert(ssl.get_server_certificate(("127.0.0.1", gateway.port)))


def test_python_socketio_over_wss_verifies_a_chain_from_a_test_ca(ca_gateway: tuple[Gateway, str]) -> None:
    gateway, ca = ca_gateway
    user = new_user("tls-ca")
    client, received = connect_client(gateway, ca, user)
    try:
        assert client.transport() == "websocket"
        assert push(gateway, ca, user, {"over": "wss"})["success"] is True
        assert received.wait_for("notification")[0] == {"over": "wss"}
    finally:
        client.disconnect()


def test_alpn_is_http11_and_only_tls12_and_13_with_aead_suites(ca_gateway: tuple[Gateway, str]) -> None:
    gateway, ca = ca_gateway
    context = ssl.create_default_context(cafile=ca)
    context.set_alpn_protocols(["h2", "http/1.1"])
    with socket.create_connection(("127.0.0.1", gateway.port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            assert tls.selected_alpn_protocol() == "http/1.1"
            assert tls.version() == "TLSv1.3"
    twelve = ssl.create_default_context(cafile=ca)
    twelve.maximum_version = ssl.TLSVersion.TLSv1_2
    with socket.create_connection(("127.0.0.1", gateway.port), timeout=5) as raw:
        with twelve.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            name, version, _ = tls.cipher()
            assert version == "TLSv1.2" and name.startswith("ECDHE-") and ("GCM" in name or "CHACHA20" in name)
    weak = ssl.create_default_context(cafile=ca)
    weak.maximum_version = ssl.TLSVersion.TLSv1_2
    weak.set_ciphers("ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA")  # CBC suites only
    with pytest.raises((ssl.SSLError, ConnectionResetError)):
        with socket.create_connection(("127.0.0.1", gateway.port), timeout=5) as raw:
            with weak.wrap_socket(raw, server_hostname="127.0.0.1"):
                pass


def client_hello() -> bytes:
    """The first flight of a real TLS client (a ClientHello), made in memory."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    connection = ssl.create_default_context().wrap_bio(incoming, outgoing, server_hostname="localhost")
    with pytest.raises(ssl.SSLWantReadError):
        connection.do_handshake()
    return outgoing.read()


def test_a_client_that_stalls_mid_handshake_is_cut_at_the_timeout_and_others_are_served(
    ca_gateway: tuple[Gateway, str],
) -> None:
    gateway, ca = ca_gateway
    hello = client_hello()
    half = socket.create_connection(("127.0.0.1", gateway.port), timeout=5)
    half.sendall(hello[: len(hello) // 2])  # stops in the middle of its ClientHello
    silent = socket.create_connection(("127.0.0.1", gateway.port), timeout=5)  # says nothing
    try:
        session = verified_session(ca)
        for _ in range(3):
            assert session.get(f"{gateway.url}/healthz", timeout=5).json() == {"status": "ok"}
        # GATEWAY_TLS_HANDSHAKE_TIMEOUT_MS is 2000 here, the idle timeout 30000: both are cut
        # well before the idle timeout could have done it.
        assert read_until_close(half, timeout=15)[1]
        assert read_until_close(silent, timeout=15)[1]
        assert session.get(f"{gateway.url}/healthz", timeout=5).status_code == 200
    finally:
        half.close()
        silent.close()


def test_a_completed_handshake_then_gets_the_idle_timeout_not_the_handshake_one(
    ca_gateway: tuple[Gateway, str],
) -> None:
    gateway, ca = ca_gateway
    context = ssl.create_default_context(cafile=ca)
    with socket.create_connection(("127.0.0.1", gateway.port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            tls.settimeout(5)  # two and a half handshake timeouts, a sixth of the idle one
            try:
                early = tls.recv(1)
            except socket.timeout:
                early = None
            assert early is None, f"ended ({early!r}) after a completed handshake"
            tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            answer, _ = read_until_close(tls, timeout=5)
            assert answer.startswith(b"HTTP/1.1 200")


@pytest.fixture
def reloading_gateway(gateway_pool: GatewayPool, tmp_path: Path) -> tuple[Gateway, Path]:
    certificate, key = make_certificate(tmp_path, "reload")
    environment = {"GATEWAY_TLS_CERT_FILE": certificate, "GATEWAY_TLS_KEY_FILE": key}
    gateway = started(gateway_pool, f"tls-reload-{tmp_path.name}", environment)
    yield gateway, tmp_path
    gateway.stop()


def test_sighup_reloads_the_certificate_for_new_connections_and_keeps_open_ones(
    reloading_gateway: tuple[Gateway, Path],
) -> None:
    gateway, folder = reloading_gateway
    old_pem = folder / "old.pem"
    shutil.copy(gateway.tls_certificate, old_pem)
    user = new_user("tls-reload")
    client, received = connect_client(gateway, str(old_pem), user)
    try:
        first = server_certificate(gateway)
        new_certificate, new_key = make_certificate(folder, "next")
        os.replace(new_key, folder / "reload-key.pem")
        os.replace(new_certificate, folder / "reload-cert.pem")
        since = gateway.log_size()
        os.kill(gateway.process.pid, signal.SIGHUP)
        assert wait_until(lambda: "TLS certificate reloaded" in gateway.log_text(since), timeout=10)
        second = server_certificate(gateway)
        assert second != first
        # The open WebSocket kept its session: a push still reaches it.
        assert push(gateway, str(folder / "reload-cert.pem"), user, {"after": "reload"})["success"] is True
        assert received.wait_for("notification")[0] == {"after": "reload"}

        (folder / "reload-cert.pem").write_text("not a certificate\n")
        since = gateway.log_size()
        os.kill(gateway.process.pid, signal.SIGHUP)
        assert wait_until(lambda: "not reloaded" in gateway.log_text(since), timeout=10)
        assert len([line for line in gateway.log_text(since).splitlines() if "not reloaded" in line]) == 1
        assert server_certificate(gateway) == second
        assert gateway.running() and client.connected
    finally:
        client.disconnect()


def test_dev_tls_makes_a_certificate_and_prints_its_fingerprint() -> None:
    port = free_port()
    environment = base_environment(port) | {"GATEWAY_STORE": "memory"}  # not data/ in the repository
    process = subprocess.Popen(
        base_command() + ["--dev", "--tls"], env=environment, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, text=True, start_new_session=True,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    banner: dict[str, str] = {}
    try:
        while "pem" not in banner or "fingerprint" not in banner:
            line = lines.get(timeout=15).strip()
            if line.startswith("SHA-256 fingerprint:"):
                banner["fingerprint"] = line.split(": ", 1)[1]
            if line.startswith("certificate (PEM):"):
                banner["pem"] = line.split(": ", 1)[1]
            if line.startswith("gateway --dev: listening on"):
                assert "https://127.0.0.1:" in line
        session = verified_session(banner["pem"])
        url = f"https://127.0.0.1:{port}/healthz"

        def healthy() -> bool:
            try:
                return session.get(url, timeout=1).status_code == 200
            except requests.RequestException:
                return False

        assert wait_until(healthy, timeout=15)
        der = ssl.PEM_cert_to_DER_cert(ssl.get_server_certificate(("127.0.0.1", port)))
        digest = hashlib.sha256(der).hexdigest().upper()
        assert banner["fingerprint"] == ":".join(digest[i : i + 2] for i in range(0, 64, 2))
    finally:
        process.terminate()
        process.wait(timeout=10)

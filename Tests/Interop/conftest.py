"""Fixtures of the interop suite: gateway processes, tokens, REST clients, log capture.

Every gateway is a real process (GATEWAY_BIN, default .build/debug/gateway, or GATEWAY_CMD)
on a free loopback port. Gateways are shared per configuration for the whole session, so
tests use fresh user ids (tokens.new_user) and never assume an empty registry. When a test
fails, the stderr each gateway wrote during that test is attached to the report.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from support import cluster as cluster_support
from support.chromium import Chromium, launch_chromium
from support.clients import RecordingClient
from support.gateway import API_KEYS, Gateway, GatewayBinaryMissing, GatewayPool, GatewayUnavailable
from support.rest import Rest
from support.tokens import admin_token

FAST_HEARTBEAT = {"GATEWAY_PING_INTERVAL_MS": "300", "GATEWAY_PING_TIMEOUT_MS": "200"}


@pytest.fixture(scope="session")
def gateway_pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GatewayPool]:
    pool = GatewayPool(Path(tmp_path_factory.mktemp("gateway-logs")))
    yield pool
    pool.stop_all()


def started(
    pool: GatewayPool, name: str, environment: dict[str, str] | None = None, arguments: tuple[str, ...] = ()
) -> Gateway:
    try:
        return pool.get(name, environment, arguments)
    except GatewayBinaryMissing as error:
        pytest.exit(str(error), returncode=1)
    except GatewayUnavailable as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def gateway(gateway_pool: GatewayPool) -> Gateway:
    """Default configuration (pings 25000/20000, maxPayload 1000000, CORS *)."""
    return started(gateway_pool, "default")


@pytest.fixture(scope="session")
def fast_gateway(gateway_pool: GatewayPool) -> Gateway:
    """Heartbeat 300/200 ms, as socket.io's test suites use: dead clients go fast."""
    return started(gateway_pool, "fast-heartbeat", FAST_HEARTBEAT)


@pytest.fixture(scope="session")
def connect_error_gateway(gateway_pool: GatewayPool) -> Gateway:
    """GATEWAY_AUTH_FAILURE=connect_error: bad tokens get CONNECT_ERROR."""
    return started(gateway_pool, "connect-error", {"GATEWAY_AUTH_FAILURE": "connect_error"})


@pytest.fixture(scope="session")
def conformance_gateway(gateway_pool: GatewayPool) -> Gateway:
    """`--conformance` with the test suites' settings (see CONFORMANCE.md)."""
    environment = FAST_HEARTBEAT | {"GATEWAY_MAX_PAYLOAD_BYTES": "1000000", "GATEWAY_CORS_ORIGINS": "*"}
    return started(gateway_pool, "conformance", environment, ("--conformance",))


@pytest.fixture
def rest(gateway: Gateway) -> Iterator[Rest]:
    """REST client of the default gateway, authorised by an admin JWT."""
    client = Rest(gateway.url, admin_token())
    yield client
    client.session.close()


@pytest.fixture
def fast_rest(fast_gateway: Gateway) -> Iterator[Rest]:
    client = Rest(fast_gateway.url, API_KEYS[0])
    yield client
    client.session.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    """One headless Chromium per test module (the browser tests' pages share it)."""
    chromium = launch_chromium()
    yield chromium
    chromium.close()


@pytest.fixture
def clients() -> Iterator[list[RecordingClient]]:
    """A list to put RecordingClients in; all are shut down after the test."""
    created: list[RecordingClient] = []
    yield created
    for client in created:
        client.close()


@pytest.fixture(autouse=True)
def _gateway_log_offsets(request: pytest.FixtureRequest, gateway_pool: GatewayPool) -> None:
    request.node.gateway_log_offsets = gateway_pool.log_offsets()
    request.node.gateway_pool = gateway_pool
    request.node.cluster_log_offsets = {
        id(source): source.log_size()
        for running in cluster_support.ACTIVE
        for source in running.log_sources().values()
    }


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # noqa: ANN201
    report = yield
    pool = getattr(item, "gateway_pool", None)
    if report.failed and pool is not None:
        offsets = getattr(item, "gateway_log_offsets", {})
        for name, gateway in pool.gateways.items():
            text = gateway.log_text(offsets.get(name, 0))
            if text:
                report.sections.append((f"gateway '{name}' stderr ({call.when})", text[-20000:]))
    if report.failed:
        offsets = getattr(item, "cluster_log_offsets", {})
        for running in cluster_support.ACTIVE:
            for name, source in running.log_sources().items():
                text = source.log_text(offsets.get(id(source), 0))
                if text:
                    report.sections.append((f"cluster {name} log ({call.when})", text[-12000:]))
    return report


# --- hostile-client suite (test_hostile_*.py) ------------------------------------------------

from support.hostile import REPORT, HostileCase, ProcessProbe  # noqa: E402

# Small limits and timeouts so each case is quick; production defaults are in the README.
HOSTILE = {
    "GATEWAY_HEADER_TIMEOUT_MS": "600",
    "GATEWAY_IDLE_TIMEOUT_MS": "800",
    "GATEWAY_OUTBOUND_LIMIT_BYTES": "65536",
    "GATEWAY_MAX_PAYLOAD_BYTES": "100000",
    "GATEWAY_MAX_BODY_BYTES": "100000",
    "GATEWAY_MAX_HEADER_BYTES": "8192",
    "GATEWAY_MAX_URL_BYTES": "2048",
    # The floods here test the outbound limit (slow consumers); the event budget, which would
    # drop them first, has its own cases in test_hostile_limits.py.
    "GATEWAY_CLIENT_EVENTS_PER_S": "0",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "hostile: hostile-client cases (test_hostile_*.py)")


@pytest.fixture(scope="session")
def hostile_gateway(gateway_pool: GatewayPool) -> Gateway:
    """The hostile suite's shared gateway: HOSTILE limits, 25 s heartbeat."""
    return started(gateway_pool, "hostile", HOSTILE)


@pytest.fixture
def hostile(hostile_gateway: Gateway, request: pytest.FixtureRequest) -> Iterator[HostileCase]:
    """A hostile case on the shared hostile gateway, with its canary and resource baseline;
    the test calls `finish()` once its attack is over."""
    case = HostileCase(hostile_gateway, ProcessProbe(hostile_gateway.process.pid), request.node.name).start()
    yield case
    case.close()


@pytest.fixture
def burst_case(gateway_pool: GatewayPool, request: pytest.FixtureRequest) -> Iterator[HostileCase]:
    """A hostile case on a gateway of its own, so its registry holds nothing but the canary."""
    gateway = started(gateway_pool, "hostile-burst", {"GATEWAY_LOG_LEVEL": "warn"})
    case = HostileCase(gateway, ProcessProbe(gateway.process.pid), request.node.name).start()
    yield case
    case.close()


@pytest.fixture
def capped_case(gateway_pool: GatewayPool, request: pytest.FixtureRequest) -> Iterator[HostileCase]:
    """A hostile case on a gateway with GATEWAY_MAX_CONNECTIONS=16 and a 60 s idle timeout."""
    environment = {"GATEWAY_MAX_CONNECTIONS": "16", "GATEWAY_IDLE_TIMEOUT_MS": "60000"}
    gateway = started(gateway_pool, "hostile-capped", environment)
    case = HostileCase(gateway, ProcessProbe(gateway.process.pid), request.node.name).start()
    yield case
    case.close()


@pytest.fixture
def churn_case(gateway_pool: GatewayPool, request: pytest.FixtureRequest) -> Iterator[HostileCase]:
    """A hostile case on a gateway of its own that logs warnings only (a cycle would log two
    lines at info)."""
    gateway = started(gateway_pool, "hostile-churn", {"GATEWAY_LOG_LEVEL": "warn"})
    case = HostileCase(gateway, ProcessProbe(gateway.process.pid), request.node.name).start()
    yield case
    case.close()


@pytest.fixture
def abandon_case(gateway_pool: GatewayPool, request: pytest.FixtureRequest) -> Iterator[HostileCase]:
    """A hostile case on a gateway whose sessions have 1 s to join a namespace."""
    environment = {"GATEWAY_CONNECT_TIMEOUT_MS": "1000", "GATEWAY_LOG_LEVEL": "warn"}
    gateway = started(gateway_pool, "hostile-abandon", environment)
    case = HostileCase(gateway, ProcessProbe(gateway.process.pid), request.node.name).start()
    yield case
    case.close()


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 - pytest's reporter
    if REPORT:
        terminalreporter.section("hostile suite: gateway resources")
        for line in REPORT:
            terminalreporter.write_line(line)

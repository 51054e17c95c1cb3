"""Starts and stops the gateway under test (the built binary, or GATEWAY_CMD) as a process."""

from __future__ import annotations

import os
import random
import shlex
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

from support.logfile import LogFile

REPO_ROOT = Path(__file__).resolve().parents[3]
JWT_SECRET = "interop-suite-hs256-secret-5b0d7c1e9a"
API_KEYS = ("interop-key-alpha", "interop-key-bravo")
STARTUP_SECONDS = 15.0
STOP_SECONDS = 10.0


class GatewayUnavailable(Exception):
    """The gateway could not be started; the message says why."""


class GatewayBinaryMissing(GatewayUnavailable):
    """There is no binary to start (not built, or a wrong GATEWAY_BIN)."""


def is_peer() -> bool:
    """True when GATEWAY_CMD replaces the binary (e.g. the python reference peer)."""
    return bool(os.environ.get("GATEWAY_CMD"))


def base_command() -> list[str]:
    """GATEWAY_CMD split like a shell would, or GATEWAY_BIN (default .build/debug/gateway)."""
    command = os.environ.get("GATEWAY_CMD")
    if command:
        return shlex.split(command)
    binary = Path(os.environ.get("GATEWAY_BIN") or ".build/debug/gateway")
    if not binary.is_absolute():
        binary = REPO_ROOT / binary
    if not os.access(binary, os.X_OK):
        raise GatewayBinaryMissing(
            f"no gateway binary at {binary}: build it (swift build --product gateway) or set GATEWAY_BIN / GATEWAY_CMD"
        )
    return [str(binary)]


def _ephemeral_floor() -> int:
    """The lowest port the kernel hands out for port 0 and outgoing connections."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port() -> int:
    """A port that was free a moment ago, picked below the kernel's ephemeral range so that no
    outgoing connection or port-0 bind (of Redis, HAProxy, a node) can be given it before its
    server binds it; start() still retries on a race with another picker."""
    ceiling = _ephemeral_floor()
    for _ in range(64):
        if ceiling <= 10_001:
            break
        candidate = random.randrange(10_000, ceiling)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return candidate
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def base_environment(port: int) -> dict[str, str]:
    """The environment every gateway of the suite starts with."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("GATEWAY_")}
    environment.update(
        PORT=str(port),
        HOST="127.0.0.1",
        GATEWAY_JWT_SECRET=JWT_SECRET,
        GATEWAY_API_KEYS=",".join(API_KEYS),
        GATEWAY_LOG_LEVEL=os.environ.get("INTEROP_GATEWAY_LOG_LEVEL", "info"),
    )
    return environment


class Gateway(LogFile):
    """One gateway process on 127.0.0.1 with its stderr captured in a log file."""

    def __init__(
        self, name: str, log_dir: Path, environment: dict[str, str] | None = None, arguments: tuple[str, ...] = ()
    ) -> None:
        self.name = name
        self.log_path = log_dir / f"gateway-{name}.log"
        self.extra_environment = dict(environment or {})
        self.arguments = arguments
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def tls_certificate(self) -> str | None:
        """The PEM certificate a TLS gateway serves (GATEWAY_TLS_CERT_FILE), or None."""
        return self.extra_environment.get("GATEWAY_TLS_CERT_FILE")

    @property
    def url(self) -> str:
        """http://127.0.0.1:<port> (https:// when the gateway serves TLS)"""
        scheme = "https" if self.tls_certificate else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        """ws://127.0.0.1:<port> (wss:// when the gateway serves TLS)"""
        scheme = "wss" if self.tls_certificate else "ws"
        return f"{scheme}://127.0.0.1:{self.port}"

    def start(self, attempts: int = 3) -> "Gateway":
        """Starts the process and waits for GET /healthz = 200; retries on a new port."""
        failures = []
        for _ in range(attempts):
            if self.launch(free_port()):
                return self
            failures.append(f"port {self.port}: exit code {self.process.poll() if self.process else None}")
            self.kill()
        raise GatewayUnavailable(
            f"gateway '{self.name}' never answered /healthz ({'; '.join(failures)}); log:\n{self.log_text()[-4000:]}"
        )

    def environment(self, port: int) -> dict[str, str]:
        """The process environment on `port`: the suite's base, a store of its own, the extras."""
        # Each gateway keeps its messages in its own store beside its log, never in the
        # repository's data/ folder; a test may name another (GATEWAY_STORE).
        store = f"sqlite:{self.log_path.parent / f'store-{self.name}.db'}"
        return base_environment(port) | {"GATEWAY_STORE": store} | self.extra_environment

    def launch(self, port: int) -> bool:
        """Starts the process on `port` and waits for GET /healthz = 200; False if it never came."""
        self.port = port
        log = open(self.log_path, "ab")
        log.write(f"--- start {self.name} on port {self.port}\n".encode())
        log.flush()
        self.process = subprocess.Popen(
            base_command() + list(self.arguments),
            env=self.environment(port),
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        return self.wait_healthy()

    def wait_healthy(self) -> bool:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            try:
                verify = self.tls_certificate or True
                if requests.get(f"{self.url}/healthz", timeout=1, verify=verify).status_code == 200:
                    return True
            except requests.RequestException:
                pass
            time.sleep(0.05)
        return False

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = STOP_SECONDS) -> int | None:
        """SIGTERM, then waits up to `timeout`; kills and returns None if it did not exit."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                return None
        return self.process.returncode

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)


class GatewayPool:
    """Gateways by configuration name, started on first use, stopped at session end."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.gateways: dict[str, Gateway] = {}

    def get(self, name: str, environment: dict[str, str] | None = None, arguments: tuple[str, ...] = ()) -> Gateway:
        gateway = self.gateways.get(name)
        if gateway is None or not gateway.running():
            gateway = Gateway(name, self.log_dir, environment, arguments)
            self.gateways[name] = gateway
            gateway.start()
        return gateway

    def log_offsets(self) -> dict[str, int]:
        return {name: gateway.log_size() for name, gateway in self.gateways.items()}

    def stop_all(self) -> None:
        for gateway in self.gateways.values():
            gateway.stop()

"""HAProxy (Debian's) in front of the cluster's nodes: plain round-robin, no stickiness,
keep-alive, one-hour tunnels for WebSockets, health checks on /healthz. Its config is written
to a temp folder; a second listener serves the stats CSV the tests read."""

from __future__ import annotations

import csv
import io
import shutil
import signal
import subprocess
import time
from pathlib import Path

import requests

from support.gateway import free_port
from support.logfile import LogFile

STARTUP_SECONDS = 10.0


class HAProxyUnavailable(Exception):
    """haproxy could not be started; the message says why."""


def haproxy_config(port: int, stats_port: int, servers: list[tuple[str, int]]) -> str:
    """The configuration the README shows, on loopback ports (`servers`: (name, port))."""
    backends = "\n".join(
        f"    server {name} 127.0.0.1:{server_port} check inter 500ms fall 2 rise 1"
        for name, server_port in servers
    )
    return f"""\
global
    maxconn 4096

defaults
    mode http
    option http-keep-alive
    option redispatch
    retries 2
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 60s
    timeout tunnel 1h

frontend gateway
    bind 127.0.0.1:{port}
    default_backend nodes

backend nodes
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
{backends}

frontend stats
    bind 127.0.0.1:{stats_port}
    stats enable
    stats uri /stats
"""


class HAProxy(LogFile):
    """One haproxy process in the foreground (-db)."""

    def __init__(self, folder: Path, servers: list[tuple[str, int]]) -> None:
        self.folder = folder
        self.servers = servers
        self.port = free_port()
        self.stats_port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = folder / "haproxy.log"
        folder.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> "HAProxy":
        """Starts and waits until every server is UP (health checks passed)."""
        binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
        config_path = self.folder / "haproxy.cfg"
        config_path.write_text(haproxy_config(self.port, self.stats_port, self.servers))
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [binary, "-db", "-f", str(config_path)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        try:
            self.wait_servers({name for name, _ in self.servers}, "UP")
        except AssertionError as error:
            self.stop()
            raise HAProxyUnavailable(f"{error}\n{self.log_text()[-3000:]}") from None
        return self

    def stats(self) -> list[dict[str, str]]:
        """The stats CSV rows of the `nodes` backend's servers."""
        response = requests.get(f"http://127.0.0.1:{self.stats_port}/stats;csv", timeout=2)
        response.raise_for_status()
        rows = csv.DictReader(io.StringIO(response.text.lstrip("# ")))
        return [row for row in rows if row["pxname"] == "nodes" and row["svname"] not in ("FRONTEND", "BACKEND")]

    def server_states(self) -> dict[str, str]:
        """Server name -> its status (UP, DOWN, ...)."""
        return {row["svname"]: row["status"].split()[0] for row in self.stats()}

    def requests_served(self) -> dict[str, int]:
        """Server name -> HTTP requests it has been given so far."""
        return {row["svname"]: int(row["req_tot"] or 0) for row in self.stats()}

    def wait_servers(self, names: set[str], state: str, timeout: float = STARTUP_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        states: dict[str, str] = {}
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise AssertionError(f"haproxy exited with {self.process.poll() if self.process else None}")
            try:
                states = self.server_states()
                if all(states.get(name) == state for name in names):
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise AssertionError(f"haproxy servers {sorted(names)} not {state} within {timeout}s: {states}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

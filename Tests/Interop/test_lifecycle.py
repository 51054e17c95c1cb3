"""Process lifecycle: SIGTERM drains and exits in time; `--dev` prints a curl line that works."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests

from support.clients import POLLING_ONLY, WEBSOCKET_ONLY, RecordingClient
from support.gateway import API_KEYS, GatewayPool, base_command, base_environment, free_port
from support.rest import Rest
from support.tokens import new_user, user_token


def test_sigterm_disconnects_clients_and_exits_zero_within_ten_seconds(
    gateway_pool: GatewayPool, clients: list[RecordingClient]
) -> None:
    gateway = gateway_pool.get(f"sigterm-{uuid.uuid4().hex[:6]}")
    rest = Rest(gateway.url, API_KEYS[0])
    users = [new_user("drain"), new_user("drain")]
    for user, transports in zip(users, (WEBSOCKET_ONLY, POLLING_ONLY), strict=True):
        client = RecordingClient().connect(gateway.url, token=user_token(user), transports=transports)
        clients.append(client)
        client.wait_for("connected")
        assert rest.connected(user)

    started = time.monotonic()
    exit_code = gateway.stop(timeout=10)
    took = time.monotonic() - started

    print(f"SIGTERM to exit: {took:.2f}s")
    assert exit_code == 0, f"exit code {exit_code} after {took:.1f}s (None = still running at 10 s)"
    for client in clients:
        client.wait_for("disconnect", timeout=5)


def read_curl_command(master: int, deadline: float) -> tuple[str, str]:
    """Reads the process output until a complete `curl ...` command (with `\\` continuations)."""
    output = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        lines = output.decode("utf-8", "replace").replace("\r", "").split("\n")
        for index, line in enumerate(lines[:-1]):
            if not line.lstrip().startswith("curl "):
                continue
            command = [line]
            rest = lines[index + 1 : -1]
            while command[-1].rstrip().endswith("\\") and rest:
                command.append(rest.pop(0))
            if not command[-1].rstrip().endswith("\\"):
                return "\n".join(command), output.decode("utf-8", "replace")
    raise AssertionError(f"no curl line printed; output was:\n{output.decode('utf-8', 'replace')}")


def wait_healthy(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise AssertionError("gateway --dev never answered /healthz")


@pytest.mark.gateway_only
def test_dev_mode_prints_a_curl_line_that_works(tmp_path: Path) -> None:
    port = free_port()
    environment = base_environment(port)
    environment.pop("GATEWAY_JWT_SECRET")
    environment.pop("GATEWAY_API_KEYS")
    master, slave = pty.openpty()  # a terminal, so the banner is not stuck in a pipe buffer
    log = open(tmp_path / "dev.log", "wb")
    process = subprocess.Popen(
        [*base_command(), "--dev"],
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=log,
        start_new_session=True,
    )
    os.close(slave)
    try:
        command, banner = read_curl_command(master, time.monotonic() + 15)
        wait_healthy(port, time.monotonic() + 15)

        result = subprocess.run(["bash", "-c", command], capture_output=True, timeout=15, text=True)

        assert result.returncode == 0, (command, result.stderr)
        try:
            answer = json.loads(result.stdout)
        except json.JSONDecodeError:
            answer = {}  # e.g. a curl line with -i: only the refusals below matter
        refused = answer.get("statusCode") in (401, 403) or '"statusCode":40' in result.stdout
        assert not refused, (command, result.stdout, banner)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        os.close(master)
        log.close()

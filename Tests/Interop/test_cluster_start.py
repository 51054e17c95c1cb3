"""Cluster settings checked at start: what is missing or does not fit stops the node with one
line (exit 2), a Redis that refuses the password or is not there stops it with one line naming
Redis and the reason (exit 1), never showing the password."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from support.cluster import CLUSTER_SECRET, Cluster
from support.gateway import base_command, base_environment, free_port
from support.redis_server import RedisServer

pytestmark = [pytest.mark.gateway_only, pytest.mark.cluster]

WRONG_PASSWORD = "wrong-Pa55word-7c1e"


def run_node(extra: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    """A node process with `extra` on top of the suite's environment, run until it exits."""
    environment = base_environment(free_port()) | {"GATEWAY_NODE_ID": "n1"} | extra
    return subprocess.run(base_command(), env=environment, capture_output=True, timeout=30)


def one_line(result: subprocess.CompletedProcess[bytes]) -> str:
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize("secret", [None, "", "x" * 31])
def test_cluster_mode_without_a_long_enough_secret_exits_2_with_one_line(secret: str | None) -> None:
    extra = {"GATEWAY_REDIS_URL": f"redis://127.0.0.1:{free_port()}"}
    if secret is not None:
        extra["GATEWAY_CLUSTER_SECRET"] = secret
    result = run_node(extra)
    assert result.returncode == 2
    assert "GATEWAY_CLUSTER_SECRET" in one_line(result)


def test_a_sqlite_store_in_cluster_mode_exits_2_with_one_line(tmp_path: Path) -> None:
    store = f"sqlite:{tmp_path / 'local.db'}"
    result = run_node(
        {
            "GATEWAY_REDIS_URL": f"redis://127.0.0.1:{free_port()}",
            "GATEWAY_CLUSTER_SECRET": CLUSTER_SECRET,
            "GATEWAY_STORE": store,
        }
    )
    assert result.returncode == 2
    line = one_line(result)
    assert "GATEWAY_STORE" in line and store in line
    assert not (tmp_path / "local.db").exists(), "the refused store was created anyway"


def test_a_wrong_redis_password_exits_1_with_one_line_that_hides_the_password(tmp_path: Path) -> None:
    redis = RedisServer(tmp_path / "redis", persistent=False, password="the-right-one-4b9d").start()
    try:
        for url in (
            f"redis://:{WRONG_PASSWORD}@127.0.0.1:{redis.port}",
            f"redis://default:{WRONG_PASSWORD}@127.0.0.1:{redis.port}",
        ):
            result = run_node({"GATEWAY_REDIS_URL": url, "GATEWAY_CLUSTER_SECRET": CLUSTER_SECRET})
            assert result.returncode == 1, result.stderr.decode()
            line = one_line(result)
            assert "redis" in line.lower(), line
            assert any(reason in line.lower() for reason in ("password", "auth", "wrongpass")), line
            assert WRONG_PASSWORD not in result.stderr.decode() + result.stdout.decode()
    finally:
        redis.kill()


def test_an_unreachable_redis_exits_1_with_one_line_naming_it() -> None:
    port = free_port()  # nothing listens there
    result = run_node(
        {"GATEWAY_REDIS_URL": f"redis://:{WRONG_PASSWORD}@127.0.0.1:{port}", "GATEWAY_CLUSTER_SECRET": CLUSTER_SECRET}
    )
    assert result.returncode == 1, result.stderr.decode()
    line = one_line(result)
    assert "redis" in line.lower() and f"127.0.0.1:{port}" in line, line
    assert any(reason in line.lower() for reason in ("refused", "unreachable", "connect")), line
    assert WRONG_PASSWORD not in result.stderr.decode() + result.stdout.decode()


def test_nodes_with_the_right_password_start_register_and_report_ok(tmp_path: Path) -> None:
    cluster = Cluster(tmp_path, size=2, redis_password="the-right-one-4b9d", balancer=False).start()
    try:
        cluster.wait_healthy("ok")
        assert cluster.registered() >= {"n1", "n2"}
        for node in cluster.nodes:
            assert node.health() == (200, {"status": "ok"})
    finally:
        cluster.close()

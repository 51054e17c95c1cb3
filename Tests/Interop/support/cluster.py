"""A whole cluster on loopback: one private redis-server, N gateway nodes sharing it, and HAProxy
round-robin in front, all on free ports in one temp folder, all stopped by `close()`.

Nodes are `Gateway` processes (support/gateway.py) with the cluster settings; the store is left
to its cluster default (the same Redis). A node keeps its port across a restart, since HAProxy's
config and GATEWAY_NODE_ADDR name it.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import requests

from support.gateway import Gateway, GatewayUnavailable, free_port
from support.haproxy import HAProxy
from support.redis_server import RedisServer
from support.rest import Rest

CLUSTER_SECRET = "interop-cluster-secret-0f4e2a9c7b1d5e3f"  # 38 bytes, the same on every node
NODE_TTL_MS = 2000
READY_SECONDS = 15.0

# Clusters alive right now, so conftest can attach their logs to a failing test's report.
ACTIVE: list["Cluster"] = []


class ClusterNode(Gateway):
    """One node: GATEWAY_REDIS_URL, the shared secret, its id and address, on a fixed port."""

    def __init__(self, node_id: str, log_dir: Path, redis_url: str, extra: dict[str, str]) -> None:
        environment = {
            "GATEWAY_REDIS_URL": redis_url,
            "GATEWAY_CLUSTER_SECRET": CLUSTER_SECRET,
            "GATEWAY_NODE_ID": node_id,
            "GATEWAY_NODE_TTL_MS": str(NODE_TTL_MS),
        } | extra
        super().__init__(node_id, log_dir, environment)
        self.node_id = node_id
        self.port = free_port()

    def environment(self, port: int) -> dict[str, str]:
        environment = super().environment(port) | {"GATEWAY_NODE_ADDR": f"127.0.0.1:{port}"}
        if "GATEWAY_STORE" not in self.extra_environment:
            del environment["GATEWAY_STORE"]  # cluster mode's default: the same Redis
        return environment

    def start(self, attempts: int = 1) -> "ClusterNode":
        """Starts on its own port (the balancer's config names it) and waits for /healthz."""
        if not self.launch(self.port):
            code = self.process.poll() if self.process else None
            self.kill()
            raise GatewayUnavailable(
                f"node {self.node_id} on port {self.port} never answered /healthz (exit code {code}); "
                f"log:\n{self.log_text()[-4000:]}"
            )
        return self

    def kill_9(self) -> None:
        """SIGKILL, as a crash: nothing is cleaned up, nothing deregistered."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def rest(self, credential: str) -> Rest:
        return Rest(self.url, credential)

    def health(self) -> tuple[int, object]:
        response = requests.get(f"{self.url}/healthz", timeout=2)
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, response.text


class Cluster:
    """Redis + nodes n1..nN + HAProxy. `redis_password` protects Redis (the nodes get it in the
    URL); `persistent` keeps Redis's data across a restart in the same folder."""

    def __init__(
        self,
        folder: Path,
        size: int = 3,
        persistent: bool = True,
        redis_password: str | None = None,
        node_environment: dict[str, str] | None = None,
        balancer: bool = True,
    ) -> None:
        self.folder = folder
        self.redis = RedisServer(folder / "redis", persistent=persistent, password=redis_password)
        self.nodes = [
            ClusterNode(f"n{index}", folder, self.redis.url, node_environment or {}) for index in range(1, size + 1)
        ]
        servers = [(node.node_id, node.port) for node in self.nodes]
        self.haproxy = HAProxy(folder / "haproxy", servers) if balancer else None

    def start(self) -> "Cluster":
        ACTIVE.append(self)
        try:
            self.redis.start()
            for node in self.nodes:
                node.start()
            self.wait_registered([node.node_id for node in self.nodes])
            if self.haproxy is not None:
                self.haproxy.start()
        except BaseException:
            self.close()
            raise
        return self

    def node(self, node_id: str) -> ClusterNode:
        return next(node for node in self.nodes if node.node_id == node_id)

    @property
    def balancer(self) -> HAProxy:
        assert self.haproxy is not None, "this cluster runs without HAProxy"
        return self.haproxy

    def registered(self) -> set[str]:
        """Node ids with a live registry key in Redis (`<prefix>node:<id>`, cluster.md)."""
        return {key.rsplit(":", 1)[-1].strip("{}") for key in self.redis.keys("gw:node:*")}

    def wait_registered(self, node_ids: list[str], timeout: float = READY_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        found: set[str] = set()
        while time.monotonic() < deadline:
            found = self.registered()
            if set(node_ids) <= found:
                return
            time.sleep(0.05)
        raise AssertionError(f"nodes {node_ids} not all registered in Redis within {timeout}s (found {sorted(found)})")

    def wait_healthy(self, status: str, nodes: list[ClusterNode] | None = None, timeout: float = READY_SECONDS) -> None:
        """Polls /healthz of `nodes` (default: every running node) until each answers 200 with
        `"status": status` ("ok" or "degraded")."""
        targets = nodes if nodes is not None else [node for node in self.nodes if node.running()]
        deadline = time.monotonic() + timeout
        answers: dict[str, object] = {}
        while time.monotonic() < deadline:
            for node in targets:
                try:
                    answers[node.node_id] = node.health()
                except requests.RequestException as error:
                    answers[node.node_id] = repr(error)
            if all(
                isinstance(answer, tuple) and answer[0] == 200 and isinstance(answer[1], dict)
                and answer[1].get("status") == status
                for answer in answers.values()
            ):
                return
            time.sleep(0.05)
        raise AssertionError(f"/healthz did not reach status {status!r} within {timeout}s: {answers}")

    def log_sources(self) -> dict[str, "Gateway | RedisServer | HAProxy"]:
        sources: dict[str, Gateway | RedisServer | HAProxy] = {f"node {node.node_id}": node for node in self.nodes}
        sources["redis"] = self.redis
        if self.haproxy is not None:
            sources["haproxy"] = self.haproxy
        return sources

    def close(self) -> None:
        """Stops everything (kill: nothing here needs a graceful drain), even half-started."""
        if self.haproxy is not None:
            self.haproxy.stop()
        for node in self.nodes:
            node.kill()
        self.redis.kill()
        if self in ACTIVE:
            ACTIVE.remove(self)

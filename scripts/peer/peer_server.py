#!/usr/bin/env python3
"""Reference peer: the seed contract on python-socketio + aiohttp (+ uvloop).

Same configuration as the gateway (PORT, HOST, GATEWAY_JWT_SECRET, GATEWAY_API_KEYS,
GATEWAY_API_ROLE, GATEWAY_PING_INTERVAL_MS, GATEWAY_PING_TIMEOUT_MS,
GATEWAY_MAX_PAYLOAD_BYTES, GATEWAY_CORS_ORIGINS, GATEWAY_AUTH_FAILURE, GATEWAY_LOG_LEVEL)
and the same surface: Socket.IO at /socket.io/, the REST API under /api/gateway, GET /healthz,
and `--conformance` for the official protocol test suites. Used to prove the interop tests
right (GATEWAY_CMD=".venv/bin/python scripts/peer/peer_server.py") and as the benchmark's
point of comparison. Stops gracefully on SIGTERM.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Any

from aiohttp import web

from peer_auth import Verifier
from peer_conformance import mount_engineio_echo, mount_socketio_handlers
from peer_config import PeerConfig
from peer_gateway import CompactJson, PeerSocketServer, SeedGateway
from peer_rest import RestApi, nest_errors


def engine_options(config: PeerConfig) -> dict[str, Any]:
    """Engine.IO settings shared by the Socket.IO server and the conformance echo."""
    return {
        "ping_interval": config.ping_interval_ms / 1000,
        "ping_timeout": config.ping_timeout_ms / 1000,
        "max_http_buffer_size": config.max_payload_bytes,
        "cors_allowed_origins": config.cors_origins,
        "http_compression": False,
        "json": CompactJson,
    }


def build_app(config: PeerConfig) -> web.Application:
    """The whole peer as one aiohttp application."""
    app = web.Application(middlewares=[nest_errors], client_max_size=config.rest_body_limit_bytes)
    # Connection-refused clients get CONNECT_ERROR only when the handler may refuse.
    always_connect = config.auth_failure == "error" and not config.conformance
    server = PeerSocketServer(
        async_mode="aiohttp",
        always_connect=always_connect,
        **engine_options(config),
    )
    server.attach(app, socketio_path="socket.io")
    verifier = Verifier(config.jwt_secret, config.api_keys, config.api_role)
    if config.conformance:
        mount_socketio_handlers(server)
        mount_engineio_echo(app, engine_options(config))
    else:
        gateway = SeedGateway(server, verifier, config.auth_failure)
        RestApi(gateway, verifier).add_routes(app)

    async def health(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def close_sessions(_: web.Application) -> None:
        # Graceful stop: every Engine.IO session is closed before aiohttp waits for handlers.
        await server.eio.disconnect()

    app.router.add_get("/healthz", health)
    app.on_shutdown.append(close_sessions)
    return app


def main(arguments: list[str]) -> None:
    config = PeerConfig.from_environment(arguments)
    level = getattr(logging, config.log_level.upper(), logging.INFO)
    logging.basicConfig(level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    try:
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    except ImportError:
        pass
    logging.getLogger("peer").info("listening on %s:%d", config.host, config.port)
    web.run_app(
        build_app(config),
        host=config.host,
        port=config.port,
        print=None,
        shutdown_timeout=1,
        access_log=None,
    )


if __name__ == "__main__":
    main(sys.argv[1:])

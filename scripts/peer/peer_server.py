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
import os
import ssl
import sys
import time
from typing import Any

import engineio
import jwt
from aiohttp import web
from engineio.async_drivers import aiohttp as aiohttp_driver

from peer_auth import Verifier
from peer_config import PeerConfig
from peer_conformance import mount_engineio_echo, mount_socketio_handlers
from peer_gateway import CompactJson, PeerSocketServer, SeedGateway
from peer_rest import RestApi, nest_errors


def engine_options(config: PeerConfig) -> dict[str, Any]:
    """Engine.IO settings shared by the Socket.IO server and the conformance echo."""
    CompactJson.ping_interval_ms = config.ping_interval_ms
    return {
        "ping_interval": config.ping_interval_ms / 1000,
        "ping_timeout": config.ping_timeout_ms / 1000,
        "max_http_buffer_size": config.max_payload_bytes,
        "cors_allowed_origins": config.cors_origins,
        "http_compression": False,
        "json": CompactJson,
    }


class InclusiveLimitWebSocket(aiohttp_driver.WebSocket):
    """aiohttp refuses a frame of exactly max_msg_size bytes; JavaScript's `ws` accepts it.

    One more byte for aiohttp, and python-engineio's own `len(data) > limit` check keeps the
    limit where the JavaScript server has it.
    """

    async def __call__(self, environ: dict[str, Any]) -> Any:
        request = environ["aiohttp.request"]
        self._sock = web.WebSocketResponse(max_msg_size=self.server.max_http_buffer_size + 1)
        await self._sock.prepare(request)
        self.environ = environ
        await self.handler(self)
        return self._sock


class ExactBody:
    """python-engineio reads a POST with one `read(length)`, which aiohttp may cut short."""

    def __init__(self, content: Any) -> None:
        self.content = content

    async def read(self, length: int = -1) -> bytes:
        if length < 0:
            return await self.content.read()
        return await self.content.readexactly(length)


def translate_request_exactly(request: web.Request) -> dict[str, Any]:
    environ = aiohttp_driver.translate_request(request)
    environ["wsgi.input"] = ExactBody(request.content)
    return environ


def patch_engineio_driver(server: engineio.AsyncServer) -> None:
    """Fixes the two python-engineio/aiohttp driver deviations above on `server` only."""
    server._async = dict(server._async, websocket=InclusiveLimitWebSocket, translate_request=translate_request_exactly)


def polling_body_limit(limit: int, servers: dict[str, engineio.AsyncServer]) -> Any:
    """POST bodies over maxHttpBufferSize get 413 and end the session, as in JavaScript.

    (python-engineio answers 400.)
    """

    @web.middleware
    async def middleware(request: web.Request, handler: Any) -> web.StreamResponse:
        prefix = request.path.split("/", 2)[1] if request.path.count("/") >= 2 else ""
        server = servers.get(prefix)
        if server is not None and request.method == "POST" and (request.content_length or 0) > limit:
            socket = server.sockets.pop(request.query.get("sid", ""), None)
            if socket is not None:
                # A pending GET gets the close packet; disconnect() would also wait for
                # the queue to drain, which never happens if no GET comes.
                await socket.close(wait=False)
            return web.Response(status=413)
        return await handler(request)

    return middleware


def build_app(config: PeerConfig) -> web.Application:
    """The whole peer as one aiohttp application."""
    servers: dict[str, engineio.AsyncServer] = {}
    largest = max(config.rest_body_limit_bytes, config.max_payload_bytes) + 1
    middlewares = [polling_body_limit(config.max_payload_bytes, servers), nest_errors]
    app = web.Application(middlewares=middlewares, client_max_size=largest)
    # Connection-refused clients get CONNECT_ERROR only when the handler may refuse.
    always_connect = config.auth_failure == "error" and not config.conformance
    server = PeerSocketServer(
        async_mode="aiohttp",
        always_connect=always_connect,
        **engine_options(config),
    )
    server.attach(app, socketio_path="socket.io")
    servers["socket.io"] = server.eio
    patch_engineio_driver(server.eio)
    verifier = Verifier(config.jwt_secret, config.api_keys, config.api_role)
    if config.conformance:
        mount_socketio_handlers(server)
        echo = mount_engineio_echo(app, engine_options(config))
        servers["engine.io"] = echo
        patch_engineio_driver(echo)
    else:
        gateway = SeedGateway(server, verifier, config.auth_failure)
        RestApi(gateway, verifier, config.rest_body_limit_bytes).add_routes(app)

    async def health(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def close_sessions(_: web.Application) -> None:
        # Graceful stop: every Engine.IO session is closed before aiohttp waits for handlers.
        # (python-engineio's disconnect() would wait for each polling queue to drain.)
        for sid, socket in list(server.eio.sockets.items()):
            await socket.close(wait=False)
            server.eio.sockets.pop(sid, None)

    async def vary_on_origin(_: web.Request, response: web.StreamResponse) -> None:
        # The JavaScript server's cors module adds this whenever the answer depends on Origin.
        if response.headers.get("Access-Control-Allow-Origin", "*") != "*":
            response.headers.add("Vary", "Origin")

    app.router.add_get("/healthz", health)
    app.on_response_prepare.append(vary_on_origin)
    app.on_shutdown.append(close_sessions)
    return app


def print_dev_banner(config: PeerConfig) -> None:
    """`--dev`: ready-made tokens and a curl line, like the gateway prints."""
    now = int(time.time())
    user = jwt.encode({"sub": "dev-user", "iat": now, "exp": now + 86400}, config.jwt_secret, algorithm="HS256")
    admin = jwt.encode(
        {"sub": "dev-admin", "roles": ["admin"], "iat": now, "exp": now + 86400}, config.jwt_secret, algorithm="HS256"
    )
    base = f"http://{config.host}:{config.port}"
    print(f"user token:  {user}")
    print(f"admin token: {admin}")
    print(f"curl -s -X POST {base}/api/gateway/send \\")
    print(f"  -H 'Authorization: Bearer {admin}' -H 'Content-Type: application/json' \\")
    print('  -d \'{"userId":"dev-user","event":"notification","message":{"title":"Hello"}}\'', flush=True)


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
    if config.dev:
        print_dev_banner(config)
    # GATEWAY_TLS_CERT_FILE/_KEY_FILE, as the gateway: https and wss on the same port
    # (aiohttp's ssl context), so benchmarks can compare both behind TLS.
    ssl_context = None
    certificate, key = os.environ.get("GATEWAY_TLS_CERT_FILE"), os.environ.get("GATEWAY_TLS_KEY_FILE")
    if certificate and key:
        ssl_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ssl_context.load_cert_chain(certificate, key)
        ssl_context.set_alpn_protocols(["http/1.1"])
    web.run_app(
        build_app(config),
        host=config.host,
        port=config.port,
        print=None,
        shutdown_timeout=1,
        access_log=None,
        ssl_context=ssl_context,
    )


if __name__ == "__main__":
    main(sys.argv[1:])

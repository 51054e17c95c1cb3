"""`--conformance`: the servers socket.io's official protocol test suites run against.

Engine.IO suite: a bare Engine.IO server at /engine.io/ that echoes every message.
Socket.IO suite: namespace `/` emits `auth` with the handshake auth, echoes `message` as
`message-back` and acknowledges `message-with-ack` with its own arguments; `/custom` emits
`auth`. See Tests/Interop/CONFORMANCE.md for the exact requirements.
"""

from __future__ import annotations

from typing import Any

import engineio
from aiohttp import web

from peer_gateway import PeerSocketServer


def mount_engineio_echo(app: web.Application, options: dict[str, Any]) -> engineio.AsyncServer:
    """Attaches an echoing Engine.IO server at /engine.io/."""
    server = engineio.AsyncServer(async_mode="aiohttp", **options)

    async def echo(sid: str, data: Any) -> None:
        await server.send(sid, data)

    server.on("message", echo)
    server.attach(app, engineio_path="engine.io")
    return server


def mount_socketio_handlers(server: PeerSocketServer) -> None:
    """Registers the test-suite handlers on `/` and `/custom`."""
    auth_by_sid: dict[str, Any] = {}

    for namespace in ("/", "/custom"):

        async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> None:
            auth_by_sid[sid] = auth if auth is not None else {}

        async def disconnect(sid: str, reason: Any = None) -> None:
            auth_by_sid.pop(sid, None)

        server.on("connect", connect, namespace=namespace)
        server.on("disconnect", disconnect, namespace=namespace)

    async def message(sid: str, *arguments: Any) -> None:
        await server.emit("message-back", arguments, to=sid)

    async def message_with_ack(sid: str, *arguments: Any) -> tuple[Any, ...]:
        return arguments

    server.on("message", message)
    server.on("message-with-ack", message_with_ack)

    async def after_connect(sid: str, namespace: str) -> None:
        await server.emit("auth", auth_by_sid.get(sid, {}), to=sid, namespace=namespace)

    server.after_connect = after_connect

"""The seed's Socket.IO behaviour on python-socketio: auth, registry, `message`."""

from __future__ import annotations

import datetime
import json
import logging
from typing import Any

import socketio
from socketio import packet

from peer_auth import AuthenticationFailed, Verifier

log = logging.getLogger("peer")

AUTH_FAILED = {"message": "Authentication failed"}


class CompactJson:
    """JSON like JavaScript's `JSON.stringify`: no spaces, raw UTF-8, key order kept.

    Also repairs the Engine.IO open packet: python-engineio writes
    `int(pingInterval_seconds) * 1000`, so 300 ms became 0. `ping_interval_ms` (set at
    start) replaces it, and the keys get the JavaScript server's order.
    """

    ping_interval_ms: int | None = None

    @classmethod
    def dumps(cls, value: Any, **_: Any) -> str:
        if isinstance(value, dict) and "pingInterval" in value and "sid" in value:
            interval = cls.ping_interval_ms or value["pingInterval"]
            value = {
                "sid": value["sid"],
                "upgrades": value["upgrades"],
                "pingInterval": interval,
                "pingTimeout": value["pingTimeout"],
                "maxPayload": value["maxPayload"],
            }
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)

    @staticmethod
    def loads(text: str | bytes, **options: Any) -> Any:
        return json.loads(text, **options)


class PeerSocketServer(socketio.AsyncServer):
    """python-socketio with two JavaScript-server behaviours it lacks.

    Unknown namespaces get `{"message":"Invalid namespace"}` (python-socketio sends a bare
    string), and `after_connect` runs once the CONNECT reply is on the wire, so events sent
    from it always follow that reply.
    """

    async def after_connect(self, sid: str, namespace: str) -> None:
        """Hook for the application; the default does nothing."""

    async def _handle_connect(self, eio_sid: str, namespace: str | None, data: Any) -> None:
        namespace = namespace or "/"
        if namespace not in self.handlers:
            reply = self.packet_class(packet.CONNECT_ERROR, data={"message": "Invalid namespace"}, namespace=namespace)
            await self._send_packet(eio_sid, reply)
            return
        await super()._handle_connect(eio_sid, namespace, data)
        sid = self.manager.sid_from_eio_sid(eio_sid, namespace)
        if sid is not None and self.manager.is_connected(sid, namespace):
            await self.after_connect(sid, namespace)


class Registry:
    """userId -> that user's socket ids, in connection order (like a JavaScript Map)."""

    def __init__(self) -> None:
        self.sockets_by_user: dict[str, list[str]] = {}
        self.user_by_socket: dict[str, str] = {}

    def add(self, user_id: str, sid: str) -> None:
        self.sockets_by_user.setdefault(user_id, []).append(sid)
        self.user_by_socket[sid] = user_id

    def remove(self, sid: str) -> str | None:
        user_id = self.user_by_socket.pop(sid, None)
        if user_id is not None:
            sockets = self.sockets_by_user[user_id]
            sockets.remove(sid)
            if not sockets:
                del self.sockets_by_user[user_id]
        return user_id

    def sockets(self, user_id: str) -> list[str]:
        return list(self.sockets_by_user.get(user_id, ()))

    def users(self) -> list[str]:
        return list(self.sockets_by_user)

    def connection_count(self) -> int:
        return len(self.user_by_socket)


class SeedGateway:
    """Wires the seed's events onto a `PeerSocketServer` (namespace `/`)."""

    def __init__(self, server: PeerSocketServer, verifier: Verifier, auth_failure: str) -> None:
        self.server = server
        self.verifier = verifier
        self.auth_failure = auth_failure
        self.registry = Registry()
        self.pending: dict[str, str | None] = {}
        server.on("connect", self.on_connect)
        server.on("disconnect", self.on_disconnect)
        server.on("message", self.on_message)
        server.after_connect = self.after_connect

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any) -> None:
        token = auth.get("token") if isinstance(auth, dict) else None
        if not token:
            token = environ.get("HTTP_AUTHORIZATION") or None
        try:
            self.pending[sid] = self.verifier.user_id(token)
        except AuthenticationFailed as error:
            log.info("socket %s: authentication failed (%s)", sid, error)
            if self.auth_failure == "connect_error":
                raise socketio.exceptions.ConnectionRefusedError(AUTH_FAILED["message"]) from None
            self.pending[sid] = None

    async def after_connect(self, sid: str, namespace: str) -> None:
        user_id = self.pending.pop(sid, None)
        if user_id is None:
            await self.server.emit("error", AUTH_FAILED, to=sid)
            await self.server.disconnect(sid)
            return
        self.registry.add(user_id, sid)
        log.info("socket %s connected as user %s", sid, user_id)
        connected = {
            "message": "Successfully connected to WebSocket",
            "userId": user_id,
            "socketId": sid,
        }
        await self.server.emit("connected", connected, to=sid)

    async def on_disconnect(self, sid: str, reason: Any = None) -> None:
        self.pending.pop(sid, None)
        user_id = self.registry.remove(sid)
        if user_id is not None:
            log.info("socket %s of user %s disconnected (%s)", sid, user_id, reason)

    async def on_message(self, sid: str, payload: Any = None) -> dict[str, Any]:
        data: dict[str, Any] = {}
        # JSON.stringify drops an undefined `payload.message`, so the key is left out.
        if isinstance(payload, dict) and "message" in payload:
            data["receivedMessage"] = payload["message"]
        data["timestamp"] = iso_timestamp()
        reply = {"success": True, "message": "Message received by server", "data": data}
        await self.server.emit("messageReceived", reply, to=sid)
        return reply

    async def send_to_user(self, user_id: str, event: str, message: Any) -> bool:
        """Emits `event` to every socket of `user_id`; False when none is connected."""
        sockets = self.registry.sockets(user_id)
        for sid in sockets:
            # A one-element tuple sends exactly one argument, `null` included.
            await self.server.emit(event, (message,), to=sid)
        return bool(sockets)


def iso_timestamp() -> str:
    """`new Date().toISOString()`: UTC, milliseconds, `Z`."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"

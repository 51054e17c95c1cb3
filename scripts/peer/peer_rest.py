"""The seed's REST API under /api/gateway on aiohttp, with NestJS-shaped errors."""

from __future__ import annotations

import json
from typing import Any, Awaitable, Callable

from aiohttp import web

from peer_auth import AuthenticationFailed, Forbidden, Verifier
from peer_gateway import CompactJson, SeedGateway

RESERVED_EVENTS = {
    "connect",
    "connect_error",
    "disconnect",
    "disconnecting",
    "newListener",
    "removeListener",
}
REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    500: "Internal Server Error",
}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class RestError(Exception):
    """An error answered as `{"statusCode":..,"message":..,"error":..}`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def json_response(value: Any, status: int = 200) -> web.Response:
    body = CompactJson.dumps(value).encode()
    return web.Response(body=body, status=status, content_type="application/json", charset="utf-8")


def error_response(status: int, message: str) -> web.Response:
    reason = REASONS.get(status, "Error")
    return json_response({"statusCode": status, "message": message, "error": reason}, status)


@web.middleware
async def nest_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Maps every failure under the REST API to the NestJS error shape."""
    try:
        return await handler(request)
    except RestError as error:
        return error_response(error.status, error.message)
    except web.HTTPRequestEntityTooLarge:
        return error_response(413, "Request body is larger than the limit")
    except web.HTTPMethodNotAllowed:
        return error_response(405, f"Cannot {request.method} {request.path}")
    except web.HTTPNotFound:
        if request.path.startswith("/socket.io/") or request.path.startswith("/engine.io/"):
            raise
        return error_response(404, f"Cannot {request.method} {request.path}")


class RestApi:
    """Handlers of the five seed endpoints."""

    def __init__(self, gateway: SeedGateway, verifier: Verifier, body_limit: int) -> None:
        self.gateway = gateway
        self.verifier = verifier
        self.body_limit = body_limit

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post("/api/gateway/send", self.send)
        app.router.add_post("/api/gateway/send-many", self.send_many)
        app.router.add_get("/api/gateway/status/{userId}", self.status)
        app.router.add_get("/api/gateway/connected", self.connected)
        app.router.add_get("/api/gateway/stats", self.stats)
        # Rooms for the benchmark's room fan-out: python-socketio's own rooms, members' current
        # sockets entered at once, `emit(to=room)` to send (no persistence, no presence).
        app.router.add_put("/api/gateway/rooms/{room}/members", self.add_members)
        app.router.add_post("/api/gateway/send-room", self.send_room)

    def authorize(self, request: web.Request) -> None:
        try:
            self.verifier.authorize_rest(request.headers.get("Authorization"))
        except AuthenticationFailed:
            message = "Missing or invalid bearer token: send Authorization: Bearer <admin JWT or API key>"
            raise RestError(401, message) from None
        except Forbidden as error:
            raise RestError(403, f"Token lacks the '{error}' role required by the gateway API") from None

    async def body(self, request: web.Request) -> dict[str, Any]:
        if (request.content_length or 0) > self.body_limit:
            raise RestError(413, f"Request body is larger than {self.body_limit} bytes")
        raw = await request.read()
        if len(raw) > self.body_limit:
            raise RestError(413, f"Request body is larger than {self.body_limit} bytes")
        try:
            value = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise RestError(400, "Request body must be a JSON object") from None
        if not isinstance(value, dict):
            raise RestError(400, "Request body must be a JSON object")
        event = value.get("event")
        if not isinstance(event, str) or not event:
            raise RestError(400, "event must be a non-empty string")
        if event in RESERVED_EVENTS:
            raise RestError(400, f"event '{event}' is a reserved Socket.IO event name")
        return value

    async def send(self, request: web.Request) -> web.Response:
        self.authorize(request)
        body = await self.body(request)
        user_id = body.get("userId")
        if not isinstance(user_id, str) or not user_id:
            raise RestError(400, "userId must be a non-empty string")
        if await self.gateway.send_to_user(user_id, body["event"], body.get("message")):
            return json_response({"success": True, "message": f"Message sent to user {user_id}"}, 201)
        return json_response({"success": False, "message": f"User {user_id} is not connected"}, 201)

    async def send_many(self, request: web.Request) -> web.Response:
        self.authorize(request)
        body = await self.body(request)
        user_ids = body.get("userIds")
        valid = isinstance(user_ids, list) and user_ids
        if not valid or not all(isinstance(user, str) and user for user in user_ids):
            raise RestError(400, "userIds must be a non-empty array of non-empty strings")
        for user_id in user_ids:
            await self.gateway.send_to_user(user_id, body["event"], body.get("message"))
        reply = {"success": True, "message": f"Message sent to {len(user_ids)} users", "userIds": user_ids}
        return json_response(reply, 201)

    async def add_members(self, request: web.Request) -> web.Response:
        self.authorize(request)
        room = request.match_info["room"]
        try:
            body = json.loads(await request.read())
        except json.JSONDecodeError:
            raise RestError(400, "Request body must be a JSON object") from None
        user_ids = body.get("userIds") if isinstance(body, dict) else None
        if not isinstance(user_ids, list) or not user_ids:
            raise RestError(400, "userIds must be a non-empty array of strings")
        added = 0
        for user_id in user_ids:
            for sid in self.gateway.registry.sockets(user_id):
                await self.gateway.server.enter_room(sid, room)
            added += 1
        return json_response({"room": room, "added": added, "members": added})

    async def send_room(self, request: web.Request) -> web.Response:
        self.authorize(request)
        body = await self.body(request)
        room = body.get("room")
        if not isinstance(room, str) or not room:
            raise RestError(400, "room must be a non-empty string")
        await self.gateway.server.emit(body["event"], (body.get("message"),), to=room)
        return json_response({"success": True, "message": f"Message sent to room {room}", "room": room}, 201)

    async def status(self, request: web.Request) -> web.Response:
        self.authorize(request)
        user_id = request.match_info["userId"]
        connected = bool(self.gateway.registry.sockets(user_id))
        return json_response({"userId": user_id, "connected": connected})

    async def connected(self, request: web.Request) -> web.Response:
        self.authorize(request)
        users = self.gateway.registry.users()
        return json_response({"connectedUsers": users, "count": len(users)})

    async def stats(self, request: web.Request) -> web.Response:
        self.authorize(request)
        registry = self.gateway.registry
        users = registry.users()
        reply = {"connectedUsers": len(users), "userIds": users, "connections": registry.connection_count()}
        return json_response(reply)

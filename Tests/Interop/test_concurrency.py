"""100 concurrent python-socketio clients, each receiving only its own message."""

from __future__ import annotations

import asyncio
import uuid

import aiohttp
import socketio

from support.gateway import Gateway
from support.tokens import admin_token, new_user, user_token

CLIENTS = 100
BATCH = 20
SECONDS = 30


class Listener:
    """One AsyncClient and the `private` events it got."""

    def __init__(self, user: str) -> None:
        self.user = user
        self.client = socketio.AsyncClient(reconnection=False)
        self.received: list[object] = []
        self.connected = asyncio.Event()
        self.got_private = asyncio.Event()
        self.client.on("connected", self.on_connected)
        self.client.on("private", self.on_private)

    async def on_connected(self, data: dict[str, object]) -> None:
        assert data["userId"] == self.user
        self.connected.set()

    async def on_private(self, data: object, *offset: object) -> None:
        self.received.append(data)
        self.got_private.set()

    async def connect(self, url: str) -> None:
        await self.client.connect(url, auth={"token": user_token(self.user)}, transports=["websocket"], wait_timeout=10)
        await asyncio.wait_for(self.connected.wait(), 10)


async def scenario(url: str) -> None:
    run = uuid.uuid4().hex[:8]
    listeners = [Listener(new_user(f"crowd{run}-{index}")) for index in range(CLIENTS)]
    headers = {"Authorization": f"Bearer {admin_token()}"}
    try:
        for start in range(0, CLIENTS, BATCH):
            await asyncio.gather(*(listener.connect(url) for listener in listeners[start : start + BATCH]))

        async with aiohttp.ClientSession(headers=headers) as http:
            async with http.get(f"{url}/api/gateway/stats") as response:
                stats = await response.json()
            assert {listener.user for listener in listeners} <= set(stats["userIds"])
            assert stats["connectedUsers"] == len(stats["userIds"])

            async def push(listener: Listener) -> None:
                body = {"userId": listener.user, "event": "private", "message": {"for": listener.user}}
                async with http.post(f"{url}/api/gateway/send", json=body) as response:
                    assert response.status == 201
                    assert (await response.json())["success"] is True

            await asyncio.gather(*(push(listener) for listener in listeners))
            await asyncio.gather(*(asyncio.wait_for(listener.got_private.wait(), 10) for listener in listeners))
            await asyncio.sleep(0.2)  # a stray or duplicate delivery would land by now
            for listener in listeners:
                assert listener.received == [{"for": listener.user}], listener.user

        await asyncio.gather(*(listener.client.disconnect() for listener in listeners))
        async with aiohttp.ClientSession(headers=headers) as http:
            for _ in range(100):
                async with http.get(f"{url}/api/gateway/connected") as response:
                    still = set((await response.json())["connectedUsers"])
                if not still & {listener.user for listener in listeners}:
                    break
                await asyncio.sleep(0.05)
            else:
                raise AssertionError("clients stayed registered after disconnecting")
    finally:
        await asyncio.gather(*(listener.client.shutdown() for listener in listeners), return_exceptions=True)


def test_hundred_clients_each_receive_only_their_own_message(gateway: Gateway) -> None:
    asyncio.run(asyncio.wait_for(scenario(gateway.url), SECONDS))

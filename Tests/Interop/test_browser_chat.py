"""Conversations with the real socket.io-client in headless Chromium: a two-user chat page
(browser/chat.html) joins a room, shows typing and clears it, gets a room message and sends
its read receipt back to the author, sees presence when a tab closes, and sees nothing when a
tab's transport drops and comes back inside the presence grace."""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.chromium import Chromium, PageServer, serve_pages
from support.gateway import Gateway
from support.rest import Rest
from support.tokens import new_user, user_token

pytestmark = [pytest.mark.browser, pytest.mark.gateway_only]

PAGE = Path(__file__).parent / "browser" / "chat.html"
GRACE_MS = 3000


@pytest.fixture(scope="module")
def chat_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PageServer]:
    server = serve_pages(tmp_path_factory.mktemp("chat"), PAGE)
    yield server
    server.close()


@pytest.fixture(scope="module")
def chat_gateway(gateway_pool) -> Gateway:  # noqa: ANN001 - conftest's pool
    from conftest import started

    return started(gateway_pool, "chat", {"GATEWAY_PRESENCE_GRACE_MS": str(GRACE_MS)})


def test_two_users_chat_with_typing_receipts_and_presence(
    browser: Chromium, chat_server: PageServer, chat_gateway: Gateway
) -> None:
    rest = Rest(chat_gateway.url, "interop-key-alpha")
    alice, bob = new_user("alice"), new_user("bob")
    room = f"chat:{alice}"
    query = urllib.parse.urlencode(
        {
            "gateway": chat_gateway.url,
            "alice": user_token(alice, rooms=["chat:*"]),
            "bob": user_token(bob, rooms=["chat:*"]),
        }
    )
    browser.navigate(f"{chat_server.url}/chat.html?{query}")
    browser.wait_until("chat.alice.connects.length === 1 && chat.bob.connects.length === 1", 15)

    assert browser.evaluate(f"join('alice', '{room}')") == {"success": True, "room": room}
    assert browser.evaluate(f"join('bob', '{room}')") == {"success": True, "room": room}
    assert browser.evaluate("join('bob', 'team:1')") == {"success": False, "message": "Not allowed"}

    # Typing shown, then cleared; never echoed to the typist.
    browser.evaluate(f"typing('alice', '{room}', true)")
    browser.wait_until("chat.bob.typing.length === 1")
    browser.evaluate(f"typing('alice', '{room}', false)")
    browser.wait_until("chat.bob.typing.length === 2")
    assert browser.evaluate("chat.bob.typing") == [
        {"from": alice, "room": room, "isTyping": True},
        {"from": alice, "room": room, "isTyping": False},
    ]

    # A room message from alice (through the backend), read by bob, receipt back to alice.
    sent = rest.post(
        "/api/gateway/send-room",
        {"room": room, "event": "chat", "message": {"text": "hello bob"}, "from": alice, "exceptUserIds": [alice]},
    ).json()
    assert sent["success"] is True and sent["recipients"] == 1
    browser.wait_until("chat.bob.messages.length === 1")
    assert browser.evaluate("chat.bob.messages[0].data") == {"text": "hello bob"}
    assert browser.evaluate(f"read('bob', ['{sent['messageId']}'])") == {"success": True}
    browser.wait_until("chat.alice.receipts.length === 1")
    receipt = browser.evaluate("chat.alice.receipts[0]")
    assert receipt["messageId"] == sent["messageId"] and receipt["userId"] == bob and receipt["room"] == room
    record = rest.get(f"/api/gateway/messages/{sent['messageId']}").json()
    assert [(r["userId"], r["state"]) for r in record["recipients"]] == [(bob, "read")]
    assert browser.evaluate("chat.alice.typing.length") == 0
    assert browser.evaluate("chat.alice.messages.length") == 0

    # Both came online (after the grace) and saw each other: presence with nobody else.
    browser.wait_until(f"chat.alice.presence.some(p => p.userId === '{bob}' && p.online)", GRACE_MS / 1000 + 5)

    # Bob's tab closes: alice sees him go offline once the grace has passed.
    browser.evaluate("closeTab('bob')")
    browser.wait_until(f"chat.alice.presence.some(p => p.userId === '{bob}' && !p.online)", GRACE_MS / 1000 + 5)
    offline = [p for p in browser.evaluate("chat.alice.presence") if not p["online"]][-1]
    assert offline["lastSeen"] is not None

    # Bob comes back, then his transport drops and he reconnects inside the grace: alice sees
    # him online once, and nothing for the drop.
    browser.evaluate("openTab('bob')")
    browser.wait_until(
        f"chat.alice.presence.filter(p => p.userId === '{bob}' && p.online).length === 2", GRACE_MS / 1000 + 5
    )
    seen = browser.evaluate("chat.alice.presence.length")
    browser.evaluate("cutTransport('bob')")
    browser.wait_until("chat.bob.connects.length === 2", 10)
    time.sleep(GRACE_MS / 1000 + 0.5)  # a flap would be published by now
    assert browser.evaluate("chat.alice.presence.length") == seen
    assert all(p["userId"] == bob for p in browser.evaluate("chat.alice.presence"))

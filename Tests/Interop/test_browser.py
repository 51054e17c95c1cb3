"""The real JavaScript socket.io-client 4.x in headless Chromium, from another origin.

The page (browser/index.html) connects with default options: HTTP long-polling first, then
the upgrade to WebSocket. The gateway runs with 300/200 ms heartbeats so that several ping
rounds pass during the test.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.chromium import Chromium, PageServer, serve_pages
from support.gateway import Gateway
from support.rest import Rest
from support.tokens import bad_tokens, new_user, user_token

pytestmark = pytest.mark.browser

PAGE = Path(__file__).parent / "browser" / "index.html"
# The client's first retry comes 0.5-1.5 s after a failure; watch a little longer.
RETRY_WINDOW_SECONDS = 1.7


@pytest.fixture(scope="module")
def page_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PageServer]:
    server = serve_pages(tmp_path_factory.mktemp("page"), PAGE)
    yield server
    server.close()


def open_page(browser: Chromium, page_server: PageServer, gateway: Gateway, token: str) -> None:
    query = urllib.parse.urlencode({"gateway": gateway.url, "token": token})
    browser.navigate(f"{page_server.url}/index.html?{query}")
    browser.wait_until("window.results && window.results.events.length > 0")


def events(browser: Chromium, kind: str) -> list[object]:
    results = browser.evaluate("window.results")
    return [event["data"] for event in results["events"] if event["type"] == kind]


def first_event(browser: Chromium, kind: str, timeout: float = 10.0) -> object:
    expression = f"window.results.events.find(e => e.type === {json.dumps(kind)}) || null"
    return browser.wait_until(expression, timeout)["data"]


def test_page_connects_upgrades_exchanges_and_receives_push(
    browser: Chromium, page_server: PageServer, fast_gateway: Gateway, fast_rest: Rest
) -> None:
    user = new_user("browser")
    open_page(browser, page_server, fast_gateway, user_token(user))

    connected = first_event(browser, "connected")
    assert connected == {
        "message": "Successfully connected to WebSocket",
        "userId": user,
        "socketId": browser.evaluate("socket.id"),
    }
    assert first_event(browser, "open") == {"transport": "polling"}, "default options start on polling"
    assert first_event(browser, "upgrade") == "websocket"
    assert browser.evaluate("currentTransport()") == "websocket"

    ack = browser.evaluate("sendMessage('héllo from Chromium 😀')")
    assert ack["success"] is True
    assert ack["data"]["receivedMessage"] == "héllo from Chromium 😀"
    assert first_event(browser, "messageReceived") == ack

    push = {"title": "New Message", "body": "You have a new message", "nested": {"z": 1, "a": [1, 2]}}
    assert fast_rest.send(user, "notification", push).json()["success"] is True
    assert first_event(browser, "notification") == push

    # Heartbeats flow over the upgraded WebSocket: several 300 ms pings, no disconnect.
    browser.wait_until("window.results.pings >= 4", timeout=10)
    assert events(browser, "disconnect") == []
    assert browser.evaluate("socket.connected") is True
    assert browser.evaluate("currentTransport()") == "websocket"
    assert fast_rest.connected(user)


def test_bad_token_surfaces_error_event_without_reconnect_loop(
    browser: Chromium, page_server: PageServer, fast_gateway: Gateway, fast_rest: Rest
) -> None:
    user = new_user("browser-bad")
    open_page(browser, page_server, fast_gateway, bad_tokens(user)["expired"])

    assert first_event(browser, "error") == {"message": "Authentication failed"}
    assert first_event(browser, "disconnect") == "io server disconnect"
    time.sleep(RETRY_WINDOW_SECONDS)

    results = browser.evaluate("window.results")
    assert results["reconnectAttempts"] == 0, results["events"]
    assert len(events(browser, "connect")) <= 1
    assert events(browser, "connected") == []
    assert browser.evaluate("socket.active") is False
    assert not fast_rest.connected(user)


@pytest.mark.gateway_only
def test_stock_client_recovers_a_cut_transport_with_no_gap_and_no_duplicate(
    browser: Chromium, page_server: PageServer, fast_gateway: Gateway, fast_rest: Rest
) -> None:
    """Durable delivery: pushes keep coming while the transport is cut; the client reconnects
    by itself with its pid and last offset, `socket.recovered` is true, its socket id is the
    same, and it has every push exactly once, in order."""
    user = new_user("browser-recover")
    open_page(browser, page_server, fast_gateway, user_token(user))
    first_event(browser, "connected")
    socket_id = browser.evaluate("socket.id")
    total = 60
    for index in range(total):
        assert fast_rest.send(user, "note", {"n": index}).status_code == 201
        if index == 20:
            browser.wait_until("window.results.notes.length === 21")
            browser.evaluate("cutTransport()")
            fast_rest.wait_connected(user, False)
    browser.wait_until(f"window.results.notes.length >= {total}", timeout=20)
    browser.wait_until("window.results.recovered.length === 2")
    assert browser.evaluate("window.results.recovered") == [False, True]
    assert browser.evaluate("socket.id") == socket_id
    assert browser.evaluate("window.results.notes") == [{"n": index} for index in range(total)]
    offsets = browser.evaluate("window.results.offsets")
    assert len(set(offsets)) == total and all(isinstance(offset, str) for offset in offsets)
    assert len(events(browser, "connected")) == 2


@pytest.mark.gateway_only
def test_stock_client_refreshes_its_token_and_stays_past_the_first_expiry(
    browser: Chromium, page_server: PageServer, gateway_pool, fast_rest: Rest  # noqa: ANN001
) -> None:
    """tokenExpiring arrives before exp; the page answers with refreshToken and a new token of
    the same user; the socket is still connected (and gets pushes) after the first exp."""
    from conftest import started

    refreshing = started(gateway_pool, "token-refresh", {"GATEWAY_TOKEN_REFRESH_WINDOW_S": "2"})
    rest = Rest(refreshing.url, "interop-key-alpha")
    user = new_user("browser-refresh")
    now = int(time.time())
    short = user_token(user, exp=now + 4)
    open_page(browser, page_server, refreshing, short)
    first_event(browser, "connected")
    browser.evaluate(f"window.nextToken = {json.dumps(user_token(user))}; true")
    warning = first_event(browser, "tokenExpiring", timeout=10)
    assert warning["expiresAt"].endswith("Z")
    refreshed = first_event(browser, "refreshed", timeout=5)
    assert refreshed["success"] is True and refreshed["expiresAt"].endswith("Z")
    while time.time() < now + 5:  # past the first token's exp (and the gateway's check of it)
        time.sleep(0.1)
    assert rest.send(user, "notification", {"after": "expiry"}, persist=False).json()["success"] is True
    browser.wait_until("window.results.events.some(e => e.type === 'notification')", 5)
    assert events(browser, "error") == [] and events(browser, "disconnect") == []
    assert browser.evaluate("socket.connected") is True

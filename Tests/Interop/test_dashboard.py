"""GET /dashboard in headless Chromium (Debian's, driven by playwright from PyPI): the page
signs in with an API key, shows the numbers /api/gateway/stats gives, draws new chart points
when load starts, filters its user list, and its form's push reaches a python-socketio client.
The page loads nothing but the gateway's own JSON endpoints. A screenshot is saved under the
test's tmp dir (and, with DASHBOARD_SCREENSHOT=path, copied there: docs/dashboard.png)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
import requests

from conftest import started
from support.chromium import find_chromium
from support.clients import RecordingClient
from support.gateway import API_KEYS, Gateway, GatewayPool
from support.rest import Rest
from support.tokens import new_user, user_token

pytestmark = [pytest.mark.browser, pytest.mark.gateway_only]

playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def dashboard_gateway(gateway_pool: GatewayPool) -> Gateway:
    """A gateway of its own, so the page's numbers are this test's clients only."""
    return started(gateway_pool, "dashboard")


@pytest.fixture(scope="module")
def page_browser() -> Iterator[object]:
    binary = find_chromium()
    if binary is None:
        pytest.skip("no chromium binary (scripts/setup installs Debian's chromium)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=binary, args=["--no-sandbox"])
        yield browser
        browser.close()


def stats_users(gateway: Gateway) -> int:
    return Rest(gateway.url, API_KEYS[0]).get("/api/gateway/stats").json()["connectedUsers"]


def online(gateway: Gateway, clients: list[RecordingClient], user: str) -> RecordingClient:
    client = RecordingClient().connect(gateway.url, token=user_token(user))
    clients.append(client)
    client.wait_for("connected")
    return client


def test_the_page_is_served_without_a_credential_and_loads_nothing_from_elsewhere(
    dashboard_gateway: Gateway,
) -> None:
    response = requests.get(f"{dashboard_gateway.url}/dashboard", timeout=10)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "connect-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "http://" not in response.text and "https://" not in response.text
    assert "<script src" not in response.text and "<link" not in response.text


def test_the_snapshot_needs_the_rest_credential(dashboard_gateway: Gateway) -> None:
    url = f"{dashboard_gateway.url}/api/gateway/dashboard/snapshot"
    assert requests.get(url, timeout=10).status_code == 401
    user_headers = {"Authorization": f"Bearer {user_token(new_user())}"}
    assert requests.get(url, headers=user_headers, timeout=10).status_code == 403
    key_headers = {"Authorization": f"Bearer {API_KEYS[0]}"}
    assert requests.get(url, headers=key_headers, timeout=10).status_code == 200
    assert requests.get(url + "?limit=0", headers=key_headers, timeout=10).status_code == 400


def test_the_dashboard_follows_load_lists_users_and_sends_from_its_form(
    dashboard_gateway: Gateway, page_browser: object, clients: list[RecordingClient], tmp_path
) -> None:
    # The test's own probes are evaluated strings, which the page's CSP (no 'unsafe-eval')
    # refuses; the CSP header itself is checked above, and every request is watched here.
    context = page_browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    foreign = []
    page.on("request", lambda request: None if request.url.startswith(dashboard_gateway.url) else foreign.append(request.url))
    first = online(dashboard_gateway, clients, new_user("dash"))
    page.goto(f"{dashboard_gateway.url}/dashboard")

    page.fill("#token", "wrong-key")
    page.click("#loginButton")
    page.wait_for_function("document.getElementById('loginError').textContent.length > 0", timeout=10000)
    page.fill("#token", API_KEYS[0])
    page.click("#loginButton")

    # The page's numbers match /api/gateway/stats.
    expected = stats_users(dashboard_gateway)
    page.wait_for_function(f"document.getElementById('users').textContent === '{expected}'", timeout=10000)
    before = page.evaluate("window.dashboard.points.length")

    # Load starts: the chart gets new points that show it.
    users = [new_user("load") for _ in range(5)]
    receivers = [online(dashboard_gateway, clients, user) for user in users]
    expected = stats_users(dashboard_gateway)
    page.wait_for_function(
        f"(() => {{ const p = window.dashboard.points; return p.length > {before} && p[p.length - 1].users === {expected}; }})()",
        timeout=10000,
    )
    page.wait_for_function(f"document.getElementById('users').textContent === '{expected}'", timeout=10000)
    assert page.evaluate("document.querySelectorAll('#userTable tr').length") >= expected
    socket_row = page.evaluate(
        f"(() => {{ const row = document.querySelector('#userTable tr[data-user=\"{users[0]}\"]');"
        " return row && Array.from(row.children).map((cell) => cell.textContent); })()"
    )
    assert socket_row[0] == users[0] and socket_row[2] == "websocket" and socket_row[3].startswith("127.0.0.1:")

    # The search keeps one user.
    page.fill("#search", users[1])
    page.wait_for_function(
        f"(() => {{ const rows = document.querySelectorAll('#userTable tr');"
        f" return rows.length === 1 && rows[0].dataset.user === '{users[1]}'; }})()",
        timeout=10000,
    )
    page.fill("#search", "")

    # The form's push reaches the python-socketio client.
    page.fill("#sendUser", users[2])
    page.fill("#sendEvent", "dashboard-test")
    page.fill("#sendMessage", '{"hello":"from the dashboard","n":1}')
    page.click("#sendButton")
    assert receivers[2].wait_for("dashboard-test")[0] == {"hello": "from the dashboard", "n": 1}
    page.wait_for_function("document.getElementById('sendResult').textContent.startsWith('201 ')", timeout=10000)
    assert first.all("dashboard-test") == []

    page.wait_for_function("document.getElementById('eventsOut').textContent !== '0'", timeout=10000)
    screenshot = tmp_path / "dashboard.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10000
    if os.environ.get("DASHBOARD_SCREENSHOT"):
        shutil.copyfile(screenshot, os.environ["DASHBOARD_SCREENSHOT"])
    assert foreign == [], f"the page fetched from elsewhere: {foreign}"
    context.close()

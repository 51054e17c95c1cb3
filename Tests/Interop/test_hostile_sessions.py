"""Sessions under attack: a burst of connections with bad tokens, polling requests with
unknown, reused or someone else's session id, and more connections than
GATEWAY_MAX_CONNECTIONS.

On session ids: the Engine.IO `sid` is a bearer secret, as in the JS server. Whoever presents
it on a polling request acts as that session (browsers cannot attach credentials to the
WebSocket upgrade, so no second factor is possible there). The gateway makes it unguessable
(120 random bits from the system CSPRNG), never logs it whole, never reuses it as the public
Socket.IO socket id, and forgets it the moment the session ends. A second GET while the
owner's long-poll is pending is a protocol error that closes the session (JS behaviour): an
intruder holding a live sid gets a 400 and the owner's session ends, so packets are not read
silently while the owner is polling. Requests for the other transport are refused (400 code 3)
without touching the session, so a sid does not reach a session that upgraded to WebSocket.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from support.gateway import Gateway
from support.hostile import (
    HostileCase,
    RawWebSocket,
    connect,
    is_connected,
    read_response,
    read_until_close,
    report,
    rest,
    socketio_session,
    wait_until,
)
from support.raw import Polling
from support.tokens import bad_tokens, new_user, user_token

pytestmark = [pytest.mark.hostile, pytest.mark.gateway_only]

BURST = int(os.environ.get("HOSTILE_BURST", "2000"))
MAX_CONNECTIONS = 16  # conftest capped_case
UNKNOWN = {"code": 1, "message": "Session ID unknown"}


@pytest.mark.timeout(180)  # 2,000 handshakes: a slow machine needs more than the suite's 60 s
def test_burst_of_bad_tokens_registers_nobody(burst_case: HostileCase) -> None:
    tokens = [token for token in bad_tokens("burst-user").values() if token is not None]
    failures: list[str] = []
    samples: list[list[str]] = []
    stop = threading.Event()

    def watch_stats() -> None:
        while not stop.wait(0.05):
            samples.append(rest(burst_case.gateway, "GET", "/api/gateway/stats").json()["userIds"])

    def attempt(index: int) -> None:
        token = tokens[index % len(tokens)]
        try:
            ws, event = socketio_session(burst_case.gateway, token)
            try:
                if not event.startswith('42["error",{"message":"Authentication failed"}]'):
                    failures.append(event)
                elif ws.receive_text() != "41":
                    failures.append("no DISCONNECT after the error")
            finally:
                ws.close()
        except Exception as error:  # noqa: BLE001 - collected, asserted below
            failures.append(repr(error))

    watcher = threading.Thread(target=watch_stats, daemon=True)
    watcher.start()
    cpu_before = burst_case.probe.cpu_seconds()
    started_at = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(attempt, range(BURST)))
    elapsed = time.monotonic() - started_at
    cpu = burst_case.probe.cpu_seconds() - cpu_before
    stop.set()
    watcher.join(5)
    burst_case.sample()
    report(
        f"bad-token burst: {BURST} WebSocket handshakes in {elapsed:.1f} s, gateway CPU "
        f"{cpu:.2f} s = {cpu / BURST * 1e6:.0f} us per handshake (open, CONNECT, verify, error, close)"
    )
    assert not failures, f"{len(failures)} attempts went wrong, e.g. {failures[:3]}"
    assert samples, "stats never sampled"
    assert all(users == [burst_case.canary_user] for users in samples), "a bad token registered"
    burst_case.finish()


def test_unknown_session_id_is_refused_on_every_route(hostile: HostileCase) -> None:
    polling = Polling(hostile.gateway.url)
    guessed = "AAAAAAAAAAAAAAAAAAAA"
    assert polling.get(guessed).json() == UNKNOWN
    assert polling.post(guessed, "40").json() == UNKNOWN
    with pytest.raises(ConnectionError, match="400"):
        RawWebSocket(hostile.gateway, query=f"EIO=4&transport=websocket&sid={guessed}")
    hostile.finish()


def test_session_id_is_unusable_once_the_session_closed(hostile: HostileCase) -> None:
    polling = Polling(hostile.gateway.url)
    sid, _ = polling.handshake()
    assert polling.post(sid, "1").text == "ok"
    assert wait_until(lambda: polling.get(sid).status_code == 400, timeout=5)
    assert polling.get(sid).json() == UNKNOWN
    assert polling.post(sid, "40").json() == UNKNOWN

    ws = RawWebSocket(hostile.gateway)
    ws_sid = ws.receive_text()[1:].split('"sid":"')[1].split('"')[0]
    ws.close()
    # A live WebSocket session answers a polling GET with 400 too (code 3): wait for the close.
    assert wait_until(lambda: polling.get(ws_sid).json() == UNKNOWN, timeout=5)
    hostile.finish()


def test_session_and_socket_ids_are_distinct_unguessable_secrets(hostile: HostileCase) -> None:
    user = new_user("ids")
    polling = Polling(hostile.gateway.url)
    sids = {polling.handshake()[0] for _ in range(50)}
    assert len(sids) == 50 and all(len(sid) == 20 for sid in sids)
    sid, _ = polling.handshake()
    polling.post(sid, '40{"token":"%s"}' % user_token(user))
    records = polling.get(sid).text.split("\x1e")
    socket_id = records[0].split('"sid":"')[1].split('"')[0]
    assert socket_id != sid
    # The public socket id is no key to the session.
    assert Polling(hostile.gateway.url).get(socket_id).json() == UNKNOWN
    polling.post(sid, "1")
    hostile.finish()


def test_intruder_with_a_live_session_id_reads_nothing(hostile: HostileCase) -> None:
    """The owner long-polls; an intruder's GET with the same sid is a second concurrent GET:
    400, and the owner's session ends with a close packet instead of leaking packets."""
    owner_user = new_user("owner")
    owner = Polling(hostile.gateway.url)
    sid, _ = owner.handshake()
    owner.post(sid, '40{"token":"%s"}' % user_token(owner_user))
    assert '42["connected"' in owner.get(sid).text
    pending: dict[str, requests.Response] = {}
    waiter = threading.Thread(target=lambda: pending.setdefault("owner", owner.get(sid, timeout=10)))
    waiter.start()
    time.sleep(0.3)  # the owner's GET is most likely waiting in the gateway by now

    intruder = Polling(hostile.gateway.url).get(sid, headers={"Authorization": "Bearer " + user_token("intruder")})
    waiter.join(10)

    # Whichever GET the gateway saw second gets the 400; the one that was waiting gets the close
    # packet. Either way neither reads a packet of the owner's.
    outcomes = sorted([(intruder.status_code, intruder.text), (pending["owner"].status_code, pending["owner"].text)])
    assert outcomes[0][0] == 200 and outcomes[0][1].endswith("1"), outcomes  # the close packet
    assert outcomes[1][0] == 400, outcomes
    assert all('42["' not in text for _, text in outcomes), outcomes
    assert wait_until(lambda: not is_connected(hostile.gateway, owner_user), timeout=5)
    hostile.finish()


def test_polling_requests_cannot_reach_a_websocket_session(hostile: HostileCase) -> None:
    user = new_user("upgraded")
    ws = RawWebSocket(hostile.gateway)
    sid = ws.receive_text()[1:].split('"sid":"')[1].split('"')[0]
    ws.send_text('40{"token":"%s"}' % user_token(user))
    assert ws.receive_text().startswith("40")
    assert ws.receive_text().startswith('42["connected"')
    intruder = Polling(hostile.gateway.url)
    assert intruder.get(sid).json() == {"code": 3, "message": "Bad request"}
    assert intruder.post(sid, '42["message","spoofed"]').json() == {"code": 3, "message": "Bad request"}
    ws.send_text('42["message",{"message":"mine"}]')
    reply = ws.receive_text()
    assert reply.startswith('42["messageReceived"') and '"mine"' in reply, reply
    assert is_connected(hostile.gateway, user)
    ws.close()
    hostile.finish()


def test_connections_over_the_limit_get_503_and_existing_users_are_unaffected(capped_case: HostileCase) -> None:
    gateway: Gateway = capped_case.gateway
    # The canary holds one connection; idle sockets take the rest.
    fillers = [connect(gateway) for _ in range(MAX_CONNECTIONS - 1)]
    for raw in fillers:
        raw.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_response(raw)[0] == 200
    refusals = []
    for index in range(50):
        with connect(gateway) as raw:
            if index % 2:
                raw.sendall(b"GET /api/gateway/stats HTTP/1.1\r\nHost: x\r\n\r\n")
            status, headers, body = read_response(raw)
            refusals.append((status, headers.get("content-type", ""), body, read_until_close(raw)[1]))
    capped_case.sample()
    for raw in fillers[:2]:
        raw.close()
    # The baseline counts the canary's socket; the fillers add MAX - 1, two of them are closing.
    # (The gateway stops counting a connection before it closes the fd, so fds are a safe signal.)
    assert wait_until(lambda: capped_case.probe.fds() <= capped_case.baseline_fds + MAX_CONNECTIONS - 3, timeout=5)
    capped_case.assert_serving()
    for raw in fillers[2:]:
        raw.close()
    for status, content_type, body, closed in refusals:
        assert status == 503 and closed
        assert content_type.startswith("application/json")
        assert b"GATEWAY_MAX_CONNECTIONS" in body, body
    capped_case.finish()


@pytest.mark.timeout(180)  # 3,000 handshakes plus the connect timeout's waits
def test_abandoned_handshakes_are_reclaimed_after_the_connect_timeout(abandon_case: HostileCase) -> None:
    """Sessions opened and never joined (no CONNECT) live until the connect timeout (1 s
    here, 45 s by default, as in the JS server), then their memory and sockets are freed."""
    case = abandon_case
    count = 3000

    def abandon(index: int) -> str:
        if index % 3:
            polling = Polling(case.gateway.url)
            try:
                return polling.handshake()[0]
            finally:
                polling.session.close()
        ws = RawWebSocket(case.gateway)
        opened = ws.receive_text()
        sockets.append(ws)  # kept open, silent
        return opened.split('"sid":"')[1].split('"')[0]

    sockets: list[RawWebSocket] = []
    with ThreadPoolExecutor(max_workers=8) as pool:
        sids = list(pool.map(abandon, range(count)))
    case.sample()
    grown_kb = case.peak_rss_kb - case.baseline_rss_kb
    try:
        closed = sum(1 for ws in sockets if ws.closed_within(10))
    finally:
        for ws in sockets:
            ws.close()
    probe = Polling(case.gateway.url)
    assert wait_until(lambda: probe.get(sids[-1]).status_code == 400, timeout=10)
    unknown = sum(1 for sid in sids[::100] if probe.get(sid).json() == UNKNOWN)
    probe.session.close()
    report(
        f"abandoned handshakes: {count} sessions never joined held {grown_kb // 1024} MiB "
        f"({grown_kb * 1024 // count} B each) until the connect timeout"
    )
    assert closed == len(sockets), f"{len(sockets) - closed} silent WebSockets were kept"
    assert unknown == len(sids[::100]), "a session outlived the connect timeout"
    case.finish()


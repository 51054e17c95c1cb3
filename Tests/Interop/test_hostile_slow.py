"""Slow and silent clients: slow-loris heads and bodies, idle connections, and a client that
never reads while pushes keep coming. The hostile gateway runs with a 600 ms request timeout,
an 800 ms idle timeout and a 64 KiB outbound limit (conftest HOSTILE)."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from support.raw import without_offset
from support.hostile import (
    HostileCase,
    connect,
    frame,
    healthy,
    is_connected,
    push,
    read_response,
    read_until_close,
    report,
    socketio_session,
    wait_until,
)
from support.tokens import new_user, user_token

pytestmark = [pytest.mark.hostile, pytest.mark.gateway_only]

SLOW_CLIENTS = 200
HEADER_TIMEOUT = 0.6
IDLE_TIMEOUT = 0.8


def drip(sockets: list[socket.socket], data: bytes, stop: threading.Event, interval: float = 0.05) -> None:
    """Sends `data` one byte per `interval` on every socket until `stop` or all are closed."""
    for index in range(len(data)):
        if stop.wait(interval):
            return
        alive = 0
        for raw in sockets:
            try:
                raw.send(data[index : index + 1])
                alive += 1
            except OSError:
                pass
        if alive == 0:
            return


def slow_loris(case: HostileCase, opening: bytes, rest: bytes) -> None:
    """SLOW_CLIENTS connections send `opening` then drip `rest`; each must get 408 and be
    closed within a bounded time while the canary is served."""
    sockets = [connect(case.gateway) for _ in range(SLOW_CLIENTS)]
    for raw in sockets:
        raw.sendall(opening)
    stop = threading.Event()
    dripper = threading.Thread(target=drip, args=(sockets, rest, stop), daemon=True)
    dripper.start()
    try:
        case.sample()
        assert healthy(case.gateway), "/healthz failed during the slow-loris attack"
        statuses = []
        for raw in sockets:
            status, _, _ = read_response(raw, timeout=10)
            _, closed = read_until_close(raw, timeout=10)
            statuses.append((status, closed))
        case.sample()
    finally:
        stop.set()
        dripper.join(5)
        for raw in sockets:
            raw.close()
    assert all(status == 408 for status, _ in statuses), sorted({status for status, _ in statuses})
    assert all(closed for _, closed in statuses), "a slow client stayed connected after its 408"


def test_slow_loris_head_gets_408_and_is_closed(hostile: HostileCase) -> None:
    slow_loris(hostile, b"GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\n", b"X-Slow: " + b"a" * 200)
    hostile.finish()


def test_slow_loris_body_gets_408_and_is_closed(hostile: HostileCase) -> None:
    head = b"POST /api/gateway/send HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n"
    slow_loris(hostile, head, b"{" + b" " * 400)
    hostile.finish()


def test_request_timeout_is_not_extended_by_dripping(hostile: HostileCase) -> None:
    """The request timeout runs from the request's first byte, whatever arrives later."""
    with connect(hostile.gateway) as raw:
        raw.sendall(b"GET /healthz HTTP/1.1\r\n")
        started = time.monotonic()
        stop = threading.Event()
        dripper = threading.Thread(target=drip, args=([raw], b"X-A: b\r\n" * 50, stop), daemon=True)
        dripper.start()
        status, _, _ = read_response(raw, timeout=10)
        elapsed = time.monotonic() - started
        stop.set()
        dripper.join(5)
    assert status == 408
    # Generous: the sweeper fires on time, but the machine is shared.
    assert elapsed < HEADER_TIMEOUT + 5
    hostile.finish()


def test_idle_connections_are_closed_after_the_idle_timeout(hostile: HostileCase) -> None:
    never_spoke = [connect(hostile.gateway) for _ in range(SLOW_CLIENTS)]
    kept_alive = [connect(hostile.gateway) for _ in range(20)]
    for raw in kept_alive:
        raw.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_response(raw)[0] == 200
    hostile.sample()
    outcomes = [read_until_close(raw, timeout=IDLE_TIMEOUT + 10) for raw in never_spoke + kept_alive]
    for raw in never_spoke + kept_alive:
        raw.close()
    # Nothing is said to a connection that never sent a request, nor after a finished one.
    assert all(closed and data == b"" for data, closed in outcomes), "an idle connection stayed open"
    hostile.finish()


def test_client_that_never_reads_is_disconnected_and_others_are_not(hostile: HostileCase) -> None:
    """A socket whose owner stops reading: pushes pile up in the kernel, then in the outbound
    queue (64 KiB here); past it the session is closed and the user unregistered. Memory
    stays bounded whatever is pushed."""
    user = new_user("sleeper")
    sleeper, connected = socketio_session(hostile.gateway, user_token(user), receive_buffer=4096)
    assert connected.startswith('42["connected"'), connected
    bystander_user = new_user("bystander")
    bystander, _ = socketio_session(hostile.gateway, user_token(bystander_user))
    chunk = "z" * 60_000
    pushed = 0
    try:
        # Kernel buffers on loopback hold a few MiB; 20 MiB of pushes must overflow them.
        while pushed < 350 and push(hostile.gateway, user, "flood", chunk):
            pushed += 1
            if pushed % 25 == 0:
                hostile.sample()
        assert wait_until(lambda: not is_connected(hostile.gateway, user), timeout=10), "never disconnected"
        hostile.sample()
        assert push(hostile.gateway, bystander_user, "hello", {"after": pushed})
        assert without_offset(bystander.receive_text()) == '42["hello",{"after":%d}]' % pushed
    finally:
        sleeper.close()
        bystander.close()
    growth_kb = hostile.peak_rss_kb - hostile.baseline_rss_kb
    report(f"never-reading client: cut off after {pushed} pushes of 60 kB; RSS grew {growth_kb // 1024} MiB at most")
    assert pushed < 350, "the gateway kept queueing for a client that never reads"
    # Bounded: far less than what was pushed (pushed * 60 kB), about the outbound limit.
    assert growth_kb < 16 * 1024, f"RSS grew {growth_kb} KiB while pushing to a sleeping client"
    hostile.finish()


def test_pipelined_requests_never_read_are_cut_off(hostile: HostileCase) -> None:
    """Thousands of pipelined requests whose 2 kB answers (a 404 naming the long path) are
    never read: once the kernel buffers are full, the answers stop at the 64 KiB outbound
    limit and the connection is closed, instead of queueing without end."""
    request = b"GET /" + b"p" * 1900 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    count = 10_000  # 20 MB of answers, several times what loopback buffers hold
    with connect(hostile.gateway, receive_buffer=4096) as raw:
        sent = 0
        try:
            while sent < count:
                raw.sendall(request * 100)
                sent += 100
        except OSError:
            pass  # the gateway closed the connection: what this test wants
        hostile.sample()
        data, closed = read_until_close(raw, timeout=10, limit=64 << 20)
    answered = data.count(b"HTTP/1.1 404")
    report(f"pipelined flood: {sent} requests sent, {answered} answers read back before the close")
    assert closed, "the gateway kept a connection whose answers pile up unread"
    assert answered < count, "every answer was queued: the outbound limit did not apply"
    hostile.finish()


def test_client_flooding_messages_without_reading_replies_is_disconnected(hostile: HostileCase) -> None:
    """Every `message` earns a `messageReceived`; a client that sends thousands and reads
    none of the replies is a slow consumer like any other."""
    user = new_user("flooder")
    flooder, _ = socketio_session(hostile.gateway, user_token(user), receive_buffer=4096)
    message = '42["message",{"message":"' + "m" * 1000 + '"}]'
    sent = 0
    try:
        try:
            for _ in range(100):
                flooder.send_raw(b"".join(frame(1, message.encode()) for _ in range(100)))
                sent += 100
        except OSError:
            pass
        assert wait_until(lambda: not is_connected(hostile.gateway, user), timeout=10), "never disconnected"
        hostile.sample()
    finally:
        flooder.close()
    report(f"message flood: disconnected after at most {sent} messages of 1 kB with unread replies")
    assert sent < 10_000 or not is_connected(hostile.gateway, user)
    hostile.finish()

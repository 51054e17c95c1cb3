"""Polling -> WebSocket upgrade, driven by hand, with pushes queued in the middle of it."""

from __future__ import annotations

import json
import time

from support.gateway import Gateway
from support.raw import Polling, RawSocket, payload_records
from support.rest import Rest
from support.tokens import new_user, user_token


def polling_session(gateway: Gateway, user: str) -> tuple[Polling, str]:
    """A polling session joined to `/` as `user`, its CONNECT reply and `connected` consumed."""
    polling = Polling(gateway.url)
    sid, _ = polling.handshake()
    assert polling.post(sid, "40" + json.dumps({"token": user_token(user)})).status_code == 200
    received: list[str] = []
    deadline = time.monotonic() + 5
    while not any(record.startswith('42["connected"') for record in received):
        assert time.monotonic() < deadline, received
        received += payload_records(polling.get(sid).text)
    assert received[0].startswith('40{"sid":"'), received
    return polling, sid


def pushed_sequence(records: list[str | bytes]) -> list[int]:
    """The `seq` of every `42["seq",{"seq":N}]` among `records` (pings and noops skipped)."""
    numbers = []
    for record in records:
        if isinstance(record, str) and record.startswith('42["seq",'):
            numbers.append(json.loads(record[2:])[1]["seq"])
    return numbers


def test_pushes_during_upgrade_arrive_once_and_in_order(gateway: Gateway, rest: Rest) -> None:
    user = new_user("upgrade")
    polling, sid = polling_session(gateway, user)
    socket = RawSocket(f"{gateway.ws_url}/socket.io/?EIO=4&transport=websocket&sid={sid}")
    try:
        socket.send("2probe")
        assert socket.receive() == "3probe"
        for seq in range(3):
            assert rest.send(user, "seq", {"seq": seq}).json()["success"] is True
        # The GET during the upgrade is answered at once: with the queued pushes or a noop.
        during = payload_records(polling.get(sid, timeout=3).text)
        assert set(during) <= {"6", "2"} or pushed_sequence(during), during
        for seq in range(3, 5):
            rest.send(user, "seq", {"seq": seq})
        socket.send("5")
        for seq in range(5, 7):
            rest.send(user, "seq", {"seq": seq})

        received = pushed_sequence(during)
        deadline = time.monotonic() + 5
        while len(received) < 7 and time.monotonic() < deadline:
            received += pushed_sequence([socket.receive_skipping_pings(deadline - time.monotonic())])
        assert received == list(range(7))
        assert rest.connected(user)
        after = polling.get(sid, timeout=3)
        assert after.status_code == 400, "polling must be refused once the session is upgraded"
    finally:
        socket.close()

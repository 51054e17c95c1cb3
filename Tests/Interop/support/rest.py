"""A keep-alive REST client for /api/gateway with the helpers the tests share."""

from __future__ import annotations

import json
import time
from typing import Any

import requests


def compact(value: Any) -> bytes:
    """JSON the way JavaScript's JSON.stringify writes it (no spaces, raw UTF-8)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


class Rest:
    """One `requests.Session` (so one keep-alive connection) with a bearer credential."""

    def __init__(self, base_url: str, credential: str | None) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        if credential is not None:
            self.session.headers["Authorization"] = f"Bearer {credential}"

    def request(self, method: str, path: str, body: Any = None, **options: Any) -> requests.Response:
        """`body` is sent as compact JSON unless it is already bytes or str."""
        if body is not None and not isinstance(body, (bytes, str)):
            body = compact(body)
            options.setdefault("headers", {})["Content-Type"] = "application/json"
        options.setdefault("timeout", 10)
        return self.session.request(method, f"{self.base_url}{path}", data=body, **options)

    def post(self, path: str, body: Any = None, **options: Any) -> requests.Response:
        return self.request("POST", path, body, **options)

    def get(self, path: str, **options: Any) -> requests.Response:
        return self.request("GET", path, **options)

    def send(self, user_id: str, event: str, message: Any, **fields: Any) -> requests.Response:
        """`fields` adds options such as persist=False (live only, the seed's behaviour)."""
        body = {"userId": user_id, "event": event, "message": message, **fields}
        return self.post("/api/gateway/send", body)

    def send_many(self, user_ids: list[str], event: str, message: Any, **fields: Any) -> requests.Response:
        body = {"userIds": user_ids, "event": event, "message": message, **fields}
        return self.post("/api/gateway/send-many", body)

    def connected(self, user_id: str) -> bool:
        response = self.get(f"/api/gateway/status/{user_id}")
        response.raise_for_status()
        return bool(response.json()["connected"])

    def wait_connected(self, user_id: str, expected: bool, timeout: float = 5.0) -> float:
        """Polls /status until it says `expected`; returns the seconds it took.

        Raises AssertionError with the last answer when the deadline passes.
        """
        start = time.monotonic()
        while True:
            state = self.connected(user_id)
            elapsed = time.monotonic() - start
            if state == expected:
                return elapsed
            if elapsed > timeout:
                raise AssertionError(
                    f"status of {user_id} stayed connected={state} for {elapsed:.2f}s, expected {expected}"
                )
            time.sleep(0.02)

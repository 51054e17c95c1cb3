"""Event-driven waits: poll a condition until it holds or a deadline passes."""

from __future__ import annotations

import time
from typing import Callable

POLL_SECONDS = 0.05


def wait_until(
    condition: Callable[[], bool], what: str, state: Callable[[], object] | None = None, timeout: float = 10.0
) -> float:
    """Polls `condition` until true and returns the seconds it took; on timeout raises
    AssertionError naming `what` and the last `state()`."""
    start = time.monotonic()
    while True:
        if condition():
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            last = state() if state is not None else None
            raise AssertionError(f"{what}: not within {timeout}s; last state: {last!r}")
        time.sleep(POLL_SECONDS)

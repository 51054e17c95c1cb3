"""The log file a test-started process (gateway, Redis, HAProxy) writes, read back by tests."""

from __future__ import annotations

from pathlib import Path


class LogFile:
    """Mixed into a process wrapper that sets `log_path`: its size and its text from an offset."""

    log_path: Path

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def log_text(self, since: int = 0) -> str:
        if not self.log_path.exists():
            return ""
        with open(self.log_path, "rb") as log:
            log.seek(since)
            return log.read().decode("utf-8", "replace")

"""A webhook receiver for the tests: a threaded HTTP/1.1 server on a free loopback port that
verifies every request with PyPI's `standardwebhooks` (an implementation nobody here wrote),
records it, and answers as the test says (status, delay, body)."""

from __future__ import annotations

import http.server
import json
import ssl
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from standardwebhooks import Webhook

SECRET = "whsec_" + "c2VjcmV0LWZvci10aGUtaW50ZXJvcC13ZWJob29rLXN1aXRl"  # base64 of a test secret


@dataclass
class Received:
    id: str
    body: dict[str, Any]
    verified: bool


@dataclass
class Receiver:
    """Answers `status` with `answer`; `fail_first` answers 500 to that many requests first, and
    `slow_first` takes `delay` seconds over that many (before answering, as a stalled backend)."""

    status: int = 200
    delay: float = 0.0
    slow_first: int = 0
    answer: Any = field(default_factory=lambda: {"ok": True})
    fail_first: int = 0
    received: list[Received] = field(default_factory=list)
    attempts: list[str] = field(default_factory=list)
    condition: threading.Condition = field(default_factory=threading.Condition)
    server: http.server.ThreadingHTTPServer | None = None
    port: int = 0

    tls: tuple[str, str] | None = None  # (certificate, key) files: serve https

    def start(self, port: int = 0) -> "Receiver":
        receiver = self
        verifier = Webhook(SECRET)

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - stdlib name
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                headers = {name.lower(): value for name, value in self.headers.items()}
                try:
                    verifier.verify(raw, headers)
                    verified = True
                except Exception:  # noqa: BLE001 - any verification failure is recorded
                    verified = False
                with receiver.condition:
                    receiver.attempts.append(headers.get("webhook-id", ""))
                    failing = receiver.fail_first > 0
                    if failing:
                        receiver.fail_first -= 1
                    slow = receiver.slow_first > 0
                    if slow:
                        receiver.slow_first -= 1
                status = 500 if failing else receiver.status
                if slow:
                    time.sleep(receiver.delay)
                if 200 <= status < 300:
                    with receiver.condition:
                        receiver.received.append(Received(headers.get("webhook-id", ""), json.loads(raw), verified))
                        receiver.condition.notify_all()
                body = json.dumps(receiver.answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        if self.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self.tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def wait_for(self, predicate, timeout: float = 15.0) -> list[Received]:  # noqa: ANN001
        """The received events once `predicate(received)` holds; fails after `timeout`."""
        with self.condition:
            assert self.condition.wait_for(lambda: predicate(self.received), timeout), [
                r.body for r in self.received
            ]
            return list(self.received)

    def of_type(self, kind: str) -> list[Received]:
        with self.condition:
            return [r for r in self.received if r.body["type"] == kind]

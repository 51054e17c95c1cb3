"""Configuration of the reference peer, read from the same environment as the gateway."""

from __future__ import annotations

import dataclasses
import os
import secrets
import sys


@dataclasses.dataclass(frozen=True)
class PeerConfig:
    """Every knob the peer honours; names and defaults mirror the gateway's."""

    host: str
    port: int
    jwt_secret: str
    api_keys: tuple[str, ...]
    api_role: str
    ping_interval_ms: int
    ping_timeout_ms: int
    max_payload_bytes: int
    rest_body_limit_bytes: int
    cors_origins: str | list[str]
    auth_failure: str
    log_level: str
    conformance: bool
    dev: bool

    @staticmethod
    def from_environment(arguments: list[str]) -> "PeerConfig":
        """Reads `os.environ` and the flags; exits with code 2 and one line on a bad value."""
        environment = os.environ
        conformance = "--conformance" in arguments
        dev = "--dev" in arguments
        secret = environment.get("GATEWAY_JWT_SECRET", "")
        if dev and not secret:
            secret = secrets.token_urlsafe(32)
        if not secret:
            fail("GATEWAY_JWT_SECRET is required (HS256 secret), or start with --dev")
        ping_interval = integer(environment, "GATEWAY_PING_INTERVAL_MS", 300 if conformance else 25000)
        ping_timeout = integer(environment, "GATEWAY_PING_TIMEOUT_MS", 200 if conformance else 20000)
        auth_failure = environment.get("GATEWAY_AUTH_FAILURE", "error")
        if auth_failure not in ("error", "connect_error"):
            fail("GATEWAY_AUTH_FAILURE must be 'error' or 'connect_error'")
        origins = environment.get("GATEWAY_CORS_ORIGINS", "*").strip() or "*"
        return PeerConfig(
            host=environment.get("HOST", "127.0.0.1"),
            port=integer(environment, "PORT", 3000),
            jwt_secret=secret,
            api_keys=tuple(key for key in environment.get("GATEWAY_API_KEYS", "").split(",") if key),
            api_role=environment.get("GATEWAY_API_ROLE", "admin"),
            ping_interval_ms=ping_interval,
            ping_timeout_ms=ping_timeout,
            max_payload_bytes=integer(environment, "GATEWAY_MAX_PAYLOAD_BYTES", 1_000_000),
            rest_body_limit_bytes=integer(environment, "GATEWAY_MAX_BODY_BYTES", 1_000_000),
            cors_origins="*" if origins == "*" else [origin.strip() for origin in origins.split(",")],
            auth_failure=auth_failure,
            log_level=environment.get("GATEWAY_LOG_LEVEL", "info"),
            conformance=conformance,
            dev=dev,
        )


def integer(environment: os._Environ[str], name: str, default: int) -> int:
    """A positive integer from the environment, or `default` when unset."""
    text = environment.get(name)
    if text is None or text == "":
        return default
    if not text.isdigit() or int(text) <= 0:
        fail(f"{name} must be a positive integer, got {text!r}")
    return int(text)


def fail(message: str) -> None:
    """Exits like the gateway does on bad configuration: one line, code 2."""
    print(f"peer: {message}", file=sys.stderr)
    raise SystemExit(2)

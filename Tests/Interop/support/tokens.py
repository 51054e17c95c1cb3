"""JWTs minted by an independent signer (PyJWT) for the gateway's HS256 secret."""

from __future__ import annotations

import time
import uuid

import jwt

from support.gateway import JWT_SECRET

HOUR = 3600


def new_user(prefix: str = "user") -> str:
    """A user id no other test uses (the gateways are shared across tests)."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def mint(claims: dict[str, object], secret: str = JWT_SECRET, algorithm: str = "HS256") -> str:
    """Signs `claims` as given (no defaults added)."""
    return jwt.encode(claims, secret, algorithm=algorithm)


def user_token(user_id: str, **claims: object) -> str:
    """A valid connection token whose `sub` is `user_id`."""
    now = int(time.time())
    return mint({"sub": user_id, "iat": now, "exp": now + HOUR, **claims})


def admin_token(user_id: str = "interop-admin") -> str:
    """A token with `roles: ["admin"]`, accepted by the REST API."""
    return user_token(user_id, roles=["admin"])


def bad_tokens(user_id: str) -> dict[str, str | None]:
    """Every kind of token the gateway must refuse, by name (None = no token at all)."""
    now = int(time.time())
    valid_claims = {"sub": user_id, "iat": now, "exp": now + HOUR}
    return {
        "missing": None,
        "empty": "",
        "malformed": "not-a-jwt",
        "garbage_segments": "abc.def.ghi",
        "wrong_signature": mint(valid_claims, secret="a-different-secret-of-thirty-two-bytes-or-more"),
        "expired": mint({"sub": user_id, "iat": now - 2 * HOUR, "exp": now - HOUR}),
        "not_yet_valid": mint({**valid_claims, "nbf": now + HOUR}),
        "alg_none": jwt.encode(valid_claims, None, algorithm="none"),
        "no_user_claim": mint({"iat": now, "exp": now + HOUR, "name": "nobody"}),
    }

"""JWT verification (HS256) and REST authorization, as the seed contract describes them."""

from __future__ import annotations

import hmac

import jwt

# The gateway's default leeway for `exp` and `nbf`.
LEEWAY_SECONDS = 30
USER_ID_CLAIMS = ("sub", "userId", "_id", "id")


class AuthenticationFailed(Exception):
    """The token is missing, malformed, wrongly signed, expired or not yet valid."""


class Forbidden(Exception):
    """The token is valid but does not carry the API role."""


class Verifier:
    """Turns a bearer token into a user id and claims."""

    def __init__(self, secret: str, api_keys: tuple[str, ...], api_role: str) -> None:
        self.secret = secret
        self.api_keys = api_keys
        self.api_role = api_role

    def user_id(self, token: object) -> str:
        """The user id of a connection token; raises `AuthenticationFailed`."""
        return user_id_from_claims(self.claims(token))

    def claims(self, token: object) -> dict[str, object]:
        """Verified claims of `token` (a `Bearer ` prefix is tolerated)."""
        if not isinstance(token, str) or not token:
            raise AuthenticationFailed("missing token")
        if token.startswith("Bearer "):
            token = token[len("Bearer ") :]
        try:
            return jwt.decode(token, self.secret, algorithms=["HS256"], leeway=LEEWAY_SECONDS)
        except jwt.PyJWTError as error:
            raise AuthenticationFailed(type(error).__name__) from None

    def authorize_rest(self, header: str | None) -> None:
        """Checks `Authorization: Bearer <static key | admin JWT>` for the REST API."""
        if not header or not header.startswith("Bearer "):
            raise AuthenticationFailed("missing bearer token")
        credential = header[len("Bearer ") :].strip()
        for key in self.api_keys:
            if hmac.compare_digest(key.encode(), credential.encode()):
                return
        claims = self.claims(credential)
        user_id_from_claims(claims)
        if self.api_role and not has_role(claims, self.api_role):
            raise Forbidden(self.api_role)


def user_id_from_claims(claims: dict[str, object]) -> str:
    """First usable claim of `sub`, `userId`, `_id`, `id`; numbers become strings."""
    for name in USER_ID_CLAIMS:
        value = claims.get(name)
        if isinstance(value, str) and value:
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    raise AuthenticationFailed("no user id claim")


def has_role(claims: dict[str, object], role: str) -> bool:
    """True when `roles` (array) contains `role` or `role` (string) equals it."""
    roles = claims.get("roles")
    if isinstance(roles, list) and role in roles:
        return True
    return claims.get("role") == role

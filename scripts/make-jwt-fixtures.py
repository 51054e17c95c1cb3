#!/usr/bin/env python3
"""Generate the JWT test fixtures of Tests/AuthTests/Fixtures with an independent signer.

Every token comes from PyJWT + cryptography (or, for tokens no library will make, from
hmac/base64 by hand), never from the gateway's own code, so the Swift tests check our
verifier against someone else's reading of RFC 7515/7518/8037.

Usage (a throwaway venv; never commit it):
    python3 -m venv /tmp/jwt-fixtures-venv
    /tmp/jwt-fixtures-venv/bin/pip install -r scripts/requirements-fixtures.txt
    /tmp/jwt-fixtures-venv/bin/python scripts/make-jwt-fixtures.py

Each run makes new keys, so every file under Fixtures changes; commit them together.
All keys here are TEST-ONLY: generated for these tests and used nowhere else.

Outputs (Tests/AuthTests/Fixtures/):
    keys/test-only-*.pem   public keys (RSA 2048, EC P-256/P-384, Ed25519), an X.509
                           certificate, and keys the verifier must refuse
    jwks.json              a JWK Set with kids, including keys that must be skipped
    vectors.json           fixed `now`, key sets by name, and a table of tokens with the
                           identity or AuthError reason each must give
"""

import base64
import datetime
import hashlib
import hmac
import json
import pathlib

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa, x25519
from cryptography.x509.oid import NameOID
from jwt.algorithms import ECAlgorithm, HMACAlgorithm, OKPAlgorithm, RSAAlgorithm

NOW = 1_800_000_000
SECRET = b"gateway-test-only-hmac-secret-0123456789abcdefghijklmnopqrstuvwx"
OTHER_SECRET = b"gateway-test-only-other-secret-9876543210zyxwvutsrqponmlkjihgfedc"
FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "AuthTests" / "Fixtures"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def compact(header: dict, payload, sign=None, raw_payload: bytes | None = None) -> str:
    """A token built by hand: JSON without spaces, as PyJWT writes it."""
    header_part = b64(json.dumps(header, separators=(",", ":")).encode())
    body = raw_payload if raw_payload is not None else json.dumps(payload, separators=(",", ":")).encode()
    signing_input = f"{header_part}.{b64(body)}"
    signature = sign(signing_input.encode()) if sign else b""
    return f"{signing_input}.{b64(signature)}"


def hs256(secret: bytes):
    return lambda message: hmac.new(secret, message, hashlib.sha256).digest()


def public_pem(key) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def certificate(key) -> bytes:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "gateway-test-only")])
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=36500))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


def tamper(token: str, part: int) -> str:
    """Flips one character in the middle of a part (never the last, whose low bits may be
    padding), keeping base64url valid."""
    parts = token.split(".")
    text = parts[part]
    middle = len(text) // 2
    parts[part] = text[:middle] + ("A" if text[middle] != "A" else "B") + text[middle + 1 :]
    return ".".join(parts)


def main() -> None:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rsa_other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rsa_short = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    ec256 = ec.generate_private_key(ec.SECP256R1())
    ec256_other = ec.generate_private_key(ec.SECP256R1())
    ec384 = ec.generate_private_key(ec.SECP384R1())
    ec521 = ec.generate_private_key(ec.SECP521R1())
    k1 = ec.generate_private_key(ec.SECP256K1())
    ed = ed25519.Ed25519PrivateKey.generate()
    x = x25519.X25519PrivateKey.generate()

    keys_dir = FIXTURES / "keys"
    keys_dir.mkdir(parents=True, exist_ok=True)
    files = {
        "test-only-rsa-2048-public.pem": public_pem(rsa_key),
        "test-only-rsa-2048-certificate.pem": certificate(rsa_key),
        "test-only-ec-p256-public.pem": public_pem(ec256),
        "test-only-ec-p384-public.pem": public_pem(ec384),
        "test-only-ed25519-public.pem": public_pem(ed),
        # Refused by the verifier: too short, wrong curves, a private key.
        "test-only-rsa-1024-public.pem": public_pem(rsa_short),
        "test-only-ec-secp256k1-public.pem": public_pem(k1),
        "test-only-ec-p521-public.pem": public_pem(ec521),
        "test-only-ed25519-private.pem": ed.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    }
    for name, data in files.items():
        (keys_dir / name).write_bytes(data)

    def jwk(algorithm_class, key, **extra) -> dict:
        members = algorithm_class.to_jwk(key, as_dict=True)
        members.update(extra)
        return members

    jwks = {
        "keys": [
            jwk(RSAAlgorithm, rsa_key.public_key(), kid="rsa-rs256", alg="RS256", use="sig"),
            jwk(RSAAlgorithm, rsa_key.public_key(), kid="rsa-any"),
            jwk(ECAlgorithm, ec256.public_key(), kid="ec-256", alg="ES256"),
            jwk(ECAlgorithm, ec384.public_key(), kid="ec-384"),
            jwk(OKPAlgorithm, ed.public_key(), kid="ed-1", alg="EdDSA"),
            jwk(HMACAlgorithm, HMACAlgorithm(HMACAlgorithm.SHA256).prepare_key(SECRET),
                kid="hmac-1", alg="HS256"),
            # Skipped by the verifier: an encryption key, a curve and a key type it does not verify.
            jwk(RSAAlgorithm, rsa_other.public_key(), kid="rsa-enc", alg="RSA-OAEP", use="enc"),
            jwk(ECAlgorithm, ec521.public_key(), kid="ec-521"),
            {"kty": "OKP", "crv": "X25519", "kid": "x25519-1", "alg": "ECDH-ES",
             "x": b64(x.public_key().public_bytes(serialization.Encoding.Raw,
                                                  serialization.PublicFormat.Raw))},
        ]
    }
    (FIXTURES / "jwks.json").write_text(json.dumps(jwks, indent=2) + "\n")

    private = {
        "HS256": SECRET, "HS384": SECRET, "HS512": SECRET,
        "RS256": rsa_key, "RS384": rsa_key, "RS512": rsa_key, "PS256": rsa_key,
        "ES256": ec256, "ES384": ec384, "EdDSA": ed,
    }
    claims = {"sub": "user-1", "iat": NOW - 10, "exp": NOW + 600}
    vectors = []

    def valid(name, token, keys, user="user-1", exp=NOW + 600, roles=(), options=None):
        vectors.append({
            "name": name, "token": token, "keys": keys, "options": options or {},
            "expect": {"userID": user, "expiresAt": exp, "roles": list(roles)},
        })

    def invalid(name, token, keys, error, options=None):
        vectors.append({"name": name, "token": token, "keys": keys, "options": options or {}, "error": error})

    def encode(payload, alg="HS256", key=None, headers=None):
        return jwt.encode(payload, key if key is not None else private[alg], algorithm=alg, headers=headers)

    # One valid token per algorithm, from PEM keys (HS from the secret) and from the JWK Set by kid.
    jwks_kid = {"RS256": "rsa-rs256", "RS384": "rsa-any", "RS512": "rsa-any", "PS256": "rsa-any",
                "ES256": "ec-256", "ES384": "ec-384", "EdDSA": "ed-1", "HS256": "hmac-1"}
    for alg in private:
        keys = "hmac" if alg.startswith("HS") else "pem"
        valid(f"valid {alg} with {keys} keys", encode(claims, alg), keys)
        valid(f"valid {alg} in a mixed key set", encode(claims, alg), "mixed")
        if alg in jwks_kid:
            valid(f"valid {alg} with JWK Set kid {jwks_kid[alg]}",
                  encode(claims, alg, headers={"kid": jwks_kid[alg]}), "jwks")
    valid("valid RS256 with certificate key", encode(claims, "RS256"), "certificate")
    valid("valid RS256 without kid tries every JWK", encode(claims, "RS256"), "jwks")
    valid("valid ES256 header kid ignored when keys have none",
          encode(claims, "ES256", headers={"kid": "whatever"}), "pem")

    # Time claims around the 30 s default leeway.
    valid("valid exp exactly leeway ago", encode({"sub": "user-1", "exp": NOW - 30}), "hmac", exp=NOW - 30)
    invalid("expired beyond leeway", encode({"sub": "user-1", "exp": NOW - 31}), "hmac", "expired")
    invalid("expired with zero leeway", encode({"sub": "user-1", "exp": NOW - 1}), "hmac", "expired",
            {"leeway": 0})
    valid("valid nbf exactly leeway ahead", encode({"sub": "user-1", "nbf": NOW + 30}), "hmac", exp=None)
    invalid("nbf beyond leeway", encode({"sub": "user-1", "nbf": NOW + 31}), "hmac", "notYetValid")
    valid("valid without exp", encode({"sub": "user-1"}), "hmac", exp=None)
    valid("valid iat in the future is not compared", encode({"sub": "user-1", "iat": NOW + 3600}), "hmac",
          exp=None)
    invalid("exp as string", encode({"sub": "user-1", "exp": str(NOW + 600)}), "hmac", "malformed")
    invalid("exp as boolean true", encode({"sub": "user-1", "exp": True}), "hmac", "malformed")
    invalid("nbf as boolean", encode({"sub": "user-1", "nbf": False}), "hmac", "malformed")
    invalid("iat as string", encode({"sub": "user-1", "iat": "yesterday"}), "hmac", "malformed")

    # Signatures and keys.
    invalid("tampered signature HS256", tamper(encode(claims), 2), "hmac", "badSignature")
    invalid("tampered signature RS256", tamper(encode(claims, "RS256"), 2), "pem", "badSignature")
    invalid("tampered signature ES256", tamper(encode(claims, "ES256"), 2), "pem", "badSignature")
    invalid("tampered signature EdDSA", tamper(encode(claims, "EdDSA"), 2), "pem", "badSignature")
    invalid("tampered payload RS256", tamper(encode(claims, "RS256"), 1), "pem", "badSignature")
    invalid("wrong key HS256", encode(claims, "HS256", OTHER_SECRET), "hmac", "badSignature")
    invalid("wrong key RS256", encode(claims, "RS256", rsa_other), "pem", "badSignature")
    invalid("wrong key PS256", encode(claims, "PS256", rsa_other), "pem", "badSignature")
    invalid("wrong key ES256", encode(claims, "ES256", ec256_other), "pem", "badSignature")
    invalid("wrong key EdDSA", encode(claims, "EdDSA", ed25519.Ed25519PrivateKey.generate()), "pem",
            "badSignature")
    invalid("RS256 signature presented as PS256",
            ".".join([b64(b'{"alg":"PS256","typ":"JWT"}')] + encode(claims, "RS256").split(".")[1:]),
            "pem", "badSignature")
    es_token = encode(claims, "ES256")
    head, body, raw = es_token.split(".")
    raw_signature = base64.urlsafe_b64decode(raw + "==")
    r = int.from_bytes(raw_signature[:32], "big")
    s = int.from_bytes(raw_signature[32:], "big")
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
    invalid("ES256 with DER signature instead of raw R||S",
            f"{head}.{body}.{b64(encode_dss_signature(r, s))}", "pem", "badSignature")
    invalid("ES256 with signature one byte short", f"{head}.{body}.{b64(raw_signature[:-1])}", "pem",
            "badSignature")
    invalid("HS256 with empty signature", encode(claims).rsplit(".", 1)[0] + ".", "hmac", "badSignature")

    # Algorithm confusion and unsupported algorithms.
    for spelling in ["none", "None", "NONE", "nOnE"]:
        invalid(f"alg {spelling} with empty signature", compact({"alg": spelling, "typ": "JWT"}, claims),
                "mixed", "unsupportedAlgorithm")
    invalid("alg none carrying an HS256 signature",
            compact({"alg": "none"}, claims, hs256(SECRET)), "hmac", "unsupportedAlgorithm")
    rsa_pem = public_pem(rsa_key)
    invalid("HS256 signed with the RSA public PEM as secret",
            compact({"alg": "HS256", "typ": "JWT"}, claims, hs256(rsa_pem)), "rsa", "algorithmMismatch")
    invalid("HS256 signed with the RSA public PEM as secret, full PEM set",
            compact({"alg": "HS256", "typ": "JWT"}, claims, hs256(rsa_pem)), "pem", "algorithmMismatch")
    invalid("RS256 token with only an HMAC secret", encode(claims, "RS256"), "hmac", "algorithmMismatch")
    invalid("ES256 token under kid of the P-384 key",
            encode(claims, "ES256", headers={"kid": "ec-384"}), "jwks", "algorithmMismatch")
    invalid("PS256 token under kid restricted to RS256",
            encode(claims, "PS256", headers={"kid": "rsa-rs256"}), "jwks", "algorithmMismatch")
    invalid("HS384 token under kid restricted to HS256",
            encode(claims, "HS384", headers={"kid": "hmac-1"}), "jwks", "algorithmMismatch")
    invalid("ES512 is not supported", encode(claims, "ES512", ec521, headers={"kid": "ec-521"}), "jwks",
            "unsupportedAlgorithm")
    invalid("alg HS1 is not supported", compact({"alg": "HS1"}, claims, hs256(SECRET)), "hmac",
            "unsupportedAlgorithm")
    invalid("alg in lower case is not supported", compact({"alg": "hs256"}, claims, hs256(SECRET)),
            "hmac", "unsupportedAlgorithm")
    invalid("kid unknown", encode(claims, "RS256", headers={"kid": "nobody"}), "jwks", "unknownKey")

    # Shape of the token and its header.
    good = encode(claims)
    h, p, sig = good.split(".")
    invalid("empty token", "", "hmac", "missingToken")
    invalid("one segment", h, "hmac", "malformed")
    invalid("two segments", f"{h}.{p}", "hmac", "malformed")
    invalid("four segments", f"{good}.{sig}", "hmac", "malformed")
    invalid("empty header", f".{p}.{sig}", "hmac", "malformed")
    invalid("empty payload", f"{h}..{sig}", "hmac", "malformed")
    invalid("header with invalid base64 character", f"{h[:5]}*{h[6:]}.{p}.{sig}", "hmac", "malformed")
    invalid("header with base64 padding", f"{h}==.{p}.{sig}", "hmac", "malformed")
    invalid("header in standard base64 alphabet",
            compact({"alg": "HS256", "kid": "??>>"}, claims, hs256(SECRET)).replace("_", "/"),
            "hmac", "malformed")
    invalid("signature with invalid base64 character", f"{h}.{p}.{sig[:5]}!{sig[6:]}", "hmac", "malformed")
    invalid("token with trailing newline", good + "\n", "hmac", "malformed")
    invalid("header not JSON", f"{b64(b'not json')}.{p}.{sig}", "hmac", "malformed")
    invalid("header is a JSON array", f"{b64(b'[1]')}.{p}.{sig}", "hmac", "malformed")
    invalid("header without alg", compact({"typ": "JWT"}, claims, hs256(SECRET)), "hmac", "malformed")
    invalid("header alg is a number", compact({"alg": 256}, claims, hs256(SECRET)), "hmac", "malformed")
    invalid("header kid is a number", compact({"alg": "HS256", "kid": 7}, claims, hs256(SECRET)), "hmac",
            "malformed")
    invalid("header with crit", compact({"alg": "HS256", "crit": ["exp"]}, claims, hs256(SECRET)),
            "hmac", "malformed")
    dup_header = b64(b'{"alg":"HS256","alg":"none"}')
    dup_input = f"{dup_header}.{p}"
    invalid("header with duplicate alg",
            f"{dup_input}.{b64(hs256(SECRET)(dup_input.encode()))}", "hmac", "malformed")
    bad_payload_input = f"{h}.e30*"
    invalid("signed payload not base64url",
            f"{bad_payload_input}.{b64(hs256(SECRET)(bad_payload_input.encode()))}", "hmac", "malformed")
    invalid("signed payload not JSON", compact({"alg": "HS256"}, None, hs256(SECRET), b"{sub:1}"),
            "hmac", "malformed")
    invalid("signed payload is a JSON array", compact({"alg": "HS256"}, ["sub", "user-1"], hs256(SECRET)),
            "hmac", "malformed")
    big = encode({"sub": "user-1", "pad": "x" * 9000})
    invalid("oversized token", big, "hmac", "tokenTooLarge")
    invalid("token over a lowered limit", good, "hmac", "tokenTooLarge", {"maxTokenBytes": 100})
    valid("token at exactly the lowered limit", good, "hmac", options={"maxTokenBytes": len(good)})

    # User id claims.
    invalid("missing sub", encode({"name": "nobody", "exp": NOW + 600}), "hmac", "missingUserID")
    invalid("sub empty string", encode({"sub": ""}), "hmac", "missingUserID")
    invalid("sub boolean true", encode({"sub": True}), "hmac", "missingUserID")
    invalid("sub object", encode({"sub": {"id": 1}}), "hmac", "missingUserID")
    invalid("sub fractional number", encode({"sub": 1.5}), "hmac", "missingUserID")
    valid("numeric sub", encode({"sub": 42}), "hmac", user="42", exp=None)
    valid("numeric sub negative", encode({"sub": -7}), "hmac", user="-7", exp=None)
    valid("numeric sub written 42.0", encode({"sub": 42.0}), "hmac", user="42", exp=None)
    valid("numeric sub beyond double precision", encode({"sub": 12345678901234567890}), "hmac",
          user="12345678901234567890", exp=None)
    valid("sub with unicode escapes", encode({"sub": "us\u00e9r-\U0001F600"}), "hmac",
          user="us\u00e9r-\U0001F600", exp=None)
    valid("sub null falls through to userId", encode({"sub": None, "userId": "u-2"}), "hmac", user="u-2",
          exp=None)
    valid("userId without sub", encode({"userId": "u-3"}), "hmac", user="u-3", exp=None)
    valid("_id without sub", encode({"_id": "65f0c0ffee"}), "hmac", user="65f0c0ffee", exp=None)
    valid("numeric id without sub", encode({"id": 7}), "hmac", user="7", exp=None)
    valid("sub wins over userId", encode({"userId": "u-4", "sub": "s-4"}), "hmac", user="s-4", exp=None)
    valid("custom user claim", encode({"uid": "c-1", "sub": "s-1"}), "hmac", user="c-1", exp=None,
          options={"userClaims": ["uid"]})
    invalid("custom user claim absent", encode({"sub": "s-1"}), "hmac", "missingUserID",
            {"userClaims": ["uid"]})

    # Roles.
    valid("roles array and role string", encode({"sub": "r", "roles": ["admin", "ops"], "role": "auditor"}),
          "hmac", user="r", exp=None, roles=["admin", "ops", "auditor"])
    valid("role repeated in roles", encode({"sub": "r", "roles": ["admin"], "role": "admin"}), "hmac",
          user="r", exp=None, roles=["admin"])
    valid("roles with non-strings ignored", encode({"sub": "r", "roles": ["a", 1, None, True, "b"]}),
          "hmac", user="r", exp=None, roles=["a", "b"])
    valid("role number ignored", encode({"sub": "r", "role": 3}), "hmac", user="r", exp=None)

    # Issuer and audience.
    iss_aud = {"issuer": "https://issuer.test", "audience": "gateway"}
    valid("issuer and audience match", encode({"sub": "a", "iss": "https://issuer.test", "aud": "gateway"}),
          "hmac", user="a", exp=None, options=iss_aud)
    valid("audience in array", encode({"sub": "a", "iss": "https://issuer.test", "aud": ["web", "gateway"]}),
          "hmac", user="a", exp=None, options=iss_aud)
    invalid("issuer mismatch", encode({"sub": "a", "iss": "https://evil.test", "aud": "gateway"}), "hmac",
            "wrongIssuer", iss_aud)
    invalid("issuer missing", encode({"sub": "a", "aud": "gateway"}), "hmac", "wrongIssuer", iss_aud)
    invalid("audience mismatch", encode({"sub": "a", "iss": "https://issuer.test", "aud": "web"}), "hmac",
            "wrongAudience", iss_aud)
    invalid("audience array without it", encode({"sub": "a", "iss": "https://issuer.test", "aud": ["web"]}),
            "hmac", "wrongAudience", iss_aud)
    invalid("audience missing", encode({"sub": "a", "iss": "https://issuer.test"}), "hmac", "wrongAudience",
            iss_aud)
    valid("audience ignored when not configured", encode({"sub": "a", "aud": "anyone"}), "hmac", user="a",
          exp=None)

    # What JWTSigner must reproduce byte for byte (PyJWT's header and claim serialisation).
    signer = []
    for alg in ["HS256", "HS384", "HS512"]:
        payload = {"sub": "dev-user", "iat": NOW, "exp": NOW + 3600, "roles": ["admin"]}
        signer.append({
            "algorithm": alg,
            "claimsJSON": json.dumps(payload, separators=(",", ":")),
            "token": jwt.encode(payload, SECRET, algorithm=alg),
        })

    document = {
        "generator": "scripts/make-jwt-fixtures.py (PyJWT %s)" % jwt.__version__,
        "now": NOW,
        "hmacSecret": SECRET.decode(),
        "keySets": {
            "hmac": "the HMAC secret",
            "pem": "public PEMs: RSA 2048, EC P-256, EC P-384, Ed25519",
            "mixed": "the public PEMs plus the HMAC secret",
            "rsa": "the RSA public PEM only",
            "certificate": "the RSA key as an X.509 certificate",
            "jwks": "every usable key of jwks.json",
        },
        "vectors": vectors,
        "signer": signer,
    }
    (FIXTURES / "vectors.json").write_text(json.dumps(document, indent=1, ensure_ascii=True) + "\n")
    print(f"wrote {len(vectors)} vectors, {len(signer)} signer cases, {len(files)} key files")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into Tests/Fuzz/Corpus/<target>/.

Every seed is two control bytes (options, split; see Support/FuzzInput.swift) followed by
the data: valid inputs a real client sends, and near-valid ones that break one rule each.
Standard library only; run it again after changing a seed list (it rewrites the folders).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import shutil
import ssl
import struct
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "Corpus"
JWT_SECRET = b"fuzz-secret-of-thirty-two-bytes-at-least"  # JWTVerifierFuzz.secret
MASK = bytes([0x37, 0xFA, 0x21, 0x3D])
NOW = 1_700_000_000  # JWTVerifierFuzz.now


def seed(options: int, split: int, data: bytes | str) -> bytes:
    return bytes([options, split]) + (data.encode() if isinstance(data, str) else data)


# --- http ------------------------------------------------------------------------------------

BROWSER_HEADERS = (
    "Host: localhost:3000\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\nAccept: */*\r\n"
    "Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate, br\r\n"
    "Origin: http://localhost:8080\r\nConnection: keep-alive\r\nReferer: http://localhost:8080/\r\n"
)
SEND_BODY = '{"userId":"507f1f77bcf86cd799439011","event":"notification","message":{"title":"Test"}}'


def http_seeds() -> dict[str, bytes]:
    polling = "/socket.io/?EIO=4&transport=polling&t=N8hyd6w"
    requests = {
        "polling-handshake": f"GET {polling} HTTP/1.1\r\n{BROWSER_HEADERS}\r\n",
        "polling-post": (
            f"POST {polling}&sid=lv_VI97HAXpY6yYWAAAC HTTP/1.1\r\nHost: x\r\n"
            "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: 29\r\n\r\n"
            '40{"token":"eyJhbGciOi.a.b"}\x1e'
        ),
        "websocket-upgrade": (
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n\x81\x85" + "\x37\xfa\x21\x3d" + "x"
        ),
        "rest-send": (
            "POST /api/gateway/send HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer key\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(SEND_BODY)}\r\n\r\n{SEND_BODY}"
        ),
        "chunked-with-extension-and-trailer": (
            "POST /api/gateway/send HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            '5;name=value\r\n{"a":\r\n3\r\n1}\n\r\n0\r\nX-Trailer: t\r\n\r\n'
        ),
        "pipelined": "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nHEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        "expect-continue": (
            "POST /api/gateway/send HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
            "Content-Length: 2\r\n\r\n{}"
        ),
        "http10": "GET /healthz HTTP/1.0\r\n\r\n",
        "options-asterisk": "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
        "absolute-form": "GET http://x/healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        "bare-lf": "GET /healthz HTTP/1.1\nHost: x\n\n",
        "leading-empty-lines": "\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        "http2-version": "GET / HTTP/2.0\r\nHost: x\r\n\r\n",
        "cr-without-lf": "GET / HTTP/1.1\rHost: x\r\n\r\n",
        "obs-fold": "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
        "double-content-length": "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        "length-and-chunked": "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "huge-chunk": "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n",
        "gzip-coding": "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        "no-colon": "GET / HTTP/1.1\r\nHost x\r\n\r\n",
        "space-before-colon": "GET / HTTP/1.1\r\nHost : x\r\n\r\n",
        "control-in-value": "GET / HTTP/1.1\r\nHost: a\x01b\r\n\r\n",
        "non-ascii-target": "GET /\xc3\xa9 HTTP/1.1\r\n\r\n",
        "huge-content-length": "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
        "truncated-head": "GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: local",
        "truncated-body": "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc",
    }
    seeds = {}
    for index, (name, text) in enumerate(requests.items()):
        data = text.encode("latin-1")
        seeds[name] = seed(0, [255, 0, 7, 33][index % 4], data)
    long_header = "GET / HTTP/1.1\r\nX-Long: " + "a" * 300 + "\r\n\r\n"
    seeds["tight-long-header"] = seed(1, 9, long_header)
    seeds["tight-many-headers"] = seed(1, 255, "GET / HTTP/1.1\r\n" + "A: b\r\n" * 8 + "\r\n")
    seeds["tight-long-target"] = seed(1, 255, "GET /" + "t" * 60 + " HTTP/1.1\r\n\r\n")
    seeds["tight-body"] = seed(1, 3, "POST / HTTP/1.1\r\nContent-Length: 65\r\n\r\n" + "b" * 65)
    return seeds


# --- websocket -------------------------------------------------------------------------------


def frame(opcode: int, payload: bytes, fin: bool = True, masked: bool = True, rsv: int = 0) -> bytes:
    head = bytes([(0x80 if fin else 0) | rsv << 4 | opcode])
    mask_bit = 0x80 if masked else 0
    if len(payload) <= 125:
        head += bytes([mask_bit | len(payload)])
    elif len(payload) <= 0xFFFF:
        head += bytes([mask_bit | 126]) + struct.pack(">H", len(payload))
    else:
        head += bytes([mask_bit | 127]) + struct.pack(">Q", len(payload))
    if not masked:
        return head + payload
    return head + MASK + bytes(byte ^ MASK[i % 4] for i, byte in enumerate(payload))


def websocket_seeds() -> dict[str, bytes]:
    close = lambda code, reason=b"": struct.pack(">H", code) + reason  # noqa: E731
    streams = {
        "engineio-session": frame(1, b"2probe") + frame(1, b"5") + frame(1, b'42["message","hi"]'),
        "binary": frame(2, bytes(range(40))),
        "fragmented-with-ping": frame(1, b"45", fin=False) + frame(9, b"p") + frame(0, b'1-["x"]'),
        "close-with-reason": frame(8, close(1000, b"bye")),
        "close-empty": frame(8, b""),
        "medium-length": frame(1, b"4" + b"x" * 300),
        "long-length-header": bytes([0x82, 0xFF]) + struct.pack(">Q", 70000) + MASK + b"\x00" * 16,
        "utf8-split-across-fragments": frame(1, "4é".encode()[:2], fin=False) + frame(0, "é".encode()[1:]),
        "invalid-utf8": frame(1, b"4\xff\xfe"),
        "reserved-opcode": frame(3, b"x"),
        "rsv-bit": frame(1, b"x", rsv=4),
        "unmasked": frame(1, b"4hi", masked=False),
        "fragmented-ping": frame(9, b"p", fin=False),
        "close-1005": frame(8, close(1005)),
        "close-one-byte": frame(8, b"\x03"),
        "close-bad-utf8-reason": frame(8, close(1000, b"\xc3")),
        "continuation-without-start": frame(0, b"x"),
        "ping-too-long": frame(9, b"p" * 126),
        "length-high-bit": bytes([0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1]) + MASK,
        "new-message-inside-fragmented": frame(1, b"a", fin=False) + frame(2, b"b"),
    }
    seeds = {}
    for index, (name, data) in enumerate(streams.items()):
        seeds[name] = seed(0, [255, 0, 5, 40][index % 4], data)
    seeds["unmasked-mode"] = seed(1, 255, frame(1, b"4hi", masked=False) + frame(10, b"", masked=False))
    seeds["limit-125-too-big"] = seed(2, 255, frame(2, b"z" * 126))
    seeds["limit-0"] = seed(4, 255, frame(1, b"") + frame(1, b"x"))
    return seeds


# --- engineio --------------------------------------------------------------------------------


def engineio_seeds() -> dict[str, bytes]:
    bodies = {
        "message": b"4hello",
        "probe": b"2probe",
        "connect-and-event": b'40{"token":"x"}\x1e42["message",{"message":"hi"}]',
        "binary": b"bAQID",
        "binary-and-text": b'451-["x",{"_placeholder":true,"num":0}]\x1ebAAEC/w==',
        "close": b"1",
        "noop": b"6",
        "pong": b"3",
        "empty": b"",
        "unknown-type": b"7",
        "bad-base64": b"b@@@",
        "unpadded-base64": b"bAQI",
        "invalid-utf8": b"4\xff",
        "trailing-separator": b"4a\x1e",
        "double-separator": b"4a\x1e\x1e4b",
        "query": b"EIO=4&transport=polling&t=N8hyd6w&sid=lv_VI97HAXpY6yYWAAAC",
        "query-escapes": b"?a=%E2%82&&=x&b=%zz+c&sid=%41%42",
    }
    return {name: seed(0, 255, data) for name, data in bodies.items()}


# --- socketio --------------------------------------------------------------------------------


def socketio_seeds() -> dict[str, bytes]:
    placeholder = lambda n: '{"_placeholder":true,"num":%d}' % n  # noqa: E731
    streams = {
        "connect": '0{"token":"abc"}',
        "connect-namespace": '0/admin,{"token":"x"}',
        "connect-no-payload": "0",
        "event": '2["message",{"message":"hi"}]',
        "event-ack": '21["message","x"]',
        "ack-namespace": '3/admin,12["foo"]',
        "disconnect": "1",
        "disconnect-namespace": "1/admin,",
        "connect-error": '4{"message":"err"}',
        "binary-event": f'51-["message",{placeholder(0)}]\x1eb\x01\x02\x03',
        "binary-ack": f'62-12[{placeholder(0)},{placeholder(1)}]\x1eb1\x1eb2',
        "binary-zero": '50-["message","no attachments"]',
        "too-many-attachments": f'511-["x",{placeholder(0)}]',
        "placeholder-out-of-range": f'52-["x",{placeholder(5)}]\x1eb1\x1eb2',
        "text-while-waiting": f'51-["x",{placeholder(0)}]\x1e2["y"]',
        "binary-unexpected": "b\x00\x01",
        "reserved-event": '2["connect"]',
        "numeric-event": "2[123]",
        "truncated-json": '0{"a":',
        "ack-id-huge": '299999999999999999999["x"]',
        "deep": "2[" + "[" * 70 + "]" * 70 + "]",
        "numbers": '2["n",1e400,-0,0.1,1e21,5e-324,123456789012345680000]',
        "unicode": '2["m","é☺\\ud83d\\ude00\\ud800"]',
        "invalid-utf8": '2["m","\xff"]',
    }
    seeds = {}
    for index, (name, text) in enumerate(streams.items()):
        seeds[name] = seed(index % 4, 255, text.encode("utf-8", "surrogateescape") if "\xff" not in text else text.encode("latin-1"))
    return seeds


# --- json ------------------------------------------------------------------------------------


def json_seeds() -> dict[str, bytes]:
    documents = {
        "send": SEND_BODY,
        "send-many": '{"userIds":["a","b"],"event":"announcement","message":{"title":"System"}}',
        "event-field": '{"event":"custom","message":[1,"two",{"three":3.5},null,true,false]}',
        "numbers": "[0,-0,1e400,-1e400,0.1,1e21,1e-7,5e-324,1.7976931348623157e308,123456789012345680000]",
        "key-order": '{"b":1,"2":0,"a":2,"1":3,"4294967295":4,"01":5}',
        "duplicate-keys": '{"a":1,"b":2,"a":3}',
        "escapes": '"\\u0000\\b\\f\\n\\r\\t\\"\\\\\\/\\u00e9\\ud83d\\ude00\\ud800\\udc00x"',
        "raw-unicode": '"é☺😀"',
        "nested": "[" * 20 + "]" * 20,
        "whitespace": ' \t\n\r{ "a" : [ 1 , 2 ] } \n',
        "trailing-comma": "[1,2,]",
        "leading-zero": "[01]",
        "nan": "NaN",
        "comment": "[1/*x*/]",
        "single-quotes": "{'a':1}",
        "control-in-string": '"a\x01b"',
        "truncated": '{"a":[1,2',
        "bad-escape": '"\\x"',
        "bad-unicode-escape": '"\\u12G4"',
        "two-values": "1 2",
        "proto-key": '{"__proto__":{"x":1},"constructor":2}',
    }
    seeds = {}
    for index, (name, text) in enumerate(documents.items()):
        seeds[name] = seed(index % 8, 255, text)
    seeds["deep-512"] = seed(1, 255, "[" * 513 + "]" * 513)
    seeds["long-string-limit"] = seed(4, 255, '"' + "s" * 17 + '"')
    return seeds


# --- jwt -------------------------------------------------------------------------------------


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def compact(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def signed(header: dict, claims: dict, digest=hashlib.sha256) -> str:
    signing_input = f"{b64url(compact(header))}.{b64url(compact(claims))}"
    signature = hmac.new(JWT_SECRET, signing_input.encode(), digest).digest()
    return f"{signing_input}.{b64url(signature)}"


def unsigned(header: dict, claims: dict, signature: bytes) -> str:
    return f"{b64url(compact(header))}.{b64url(compact(claims))}.{b64url(signature)}"


def jwt_seeds() -> dict[str, bytes]:
    claims = {"sub": "507f1f77bcf86cd799439011", "iat": NOW, "exp": NOW + 3600}
    hs256 = {"alg": "HS256", "typ": "JWT"}
    tokens = {
        "hs256": signed(hs256, claims),
        "hs512": signed({"alg": "HS512", "typ": "JWT"}, claims, hashlib.sha512),
        "roles": signed(hs256, {**claims, "roles": ["admin"], "role": "user"}),
        "numeric-user": signed(hs256, {"userId": 42, "exp": NOW + 60}),
        "expired": signed(hs256, {**claims, "exp": NOW - 3600}),
        "not-yet-valid": signed(hs256, {**claims, "nbf": NOW + 3600}),
        "no-user": signed(hs256, {"exp": NOW + 60}),
        "issuer-audience": signed(hs256, {**claims, "iss": "fuzz-issuer", "aud": ["x", "fuzz-audience"]}),
        "alg-none": unsigned({"alg": "none"}, claims, b""),
        "es256": unsigned({"alg": "ES256", "typ": "JWT"}, claims, bytes(64)),
        "es256-der-length": unsigned({"alg": "ES256"}, claims, bytes(72)),
        "rs256": unsigned({"alg": "RS256"}, claims, bytes(256)),
        "ps256": unsigned({"alg": "PS256"}, claims, bytes(256)),
        "eddsa": unsigned({"alg": "EdDSA"}, claims, bytes(64)),
        "wrong-signature": signed(hs256, claims)[:-2] + "AA",
        "two-parts": f"{b64url(compact(hs256))}.{b64url(compact(claims))}",
        "padded": signed(hs256, claims) + "==",
        "garbage": "abc.def.ghi",
        "empty": "",
    }
    seeds = {name: seed(0, 255, token) for name, token in tokens.items()}
    seeds["kid-hmac"] = seed(3, 255, signed({"alg": "HS256", "kid": "hmac"}, claims))
    seeds["kid-unknown"] = seed(3, 255, signed({"alg": "HS256", "kid": "other"}, claims))
    seeds["kid-ec"] = seed(3, 255, unsigned({"alg": "ES256", "kid": "ec"}, claims, bytes(64)))
    parts = lambda header, payload, signature=b"": header + b"\x00" + payload + b"\x00" + signature  # noqa: E731
    seeds["assembled-signed"] = seed(1 | 4, 255, parts(compact(hs256), compact(claims)))
    seeds["assembled-hs384"] = seed(1 | 4 | 8, 255, parts(b'{"alg":"HS384"}', compact(claims)))
    seeds["assembled-issuer"] = seed(
        1 | 4 | 32, 255, parts(compact(hs256), compact({**claims, "iss": "fuzz-issuer", "aud": "fuzz-audience"}))
    )
    seeds["assembled-es256"] = seed(1, 255, parts(b'{"alg":"ES256"}', compact(claims), bytes(64)))
    seeds["assembled-eddsa"] = seed(1, 255, parts(b'{"alg":"EdDSA"}', compact(claims), bytes(64)))
    seeds["assembled-bad-claims"] = seed(1 | 4, 255, parts(compact(hs256), b'{"sub":"a","exp":"soon"}'))
    seeds["assembled-duplicate"] = seed(1 | 4, 255, parts(compact(hs256), b'{"sub":"a","sub":"b"}'))
    for name, text in {
        "json-object": '{"a":[1,2.5e3,true,null,"\\u00e9"]}',
        "json-surrogate": '"\\ud800"',
        "json-overflow": "1e400",
        "json-duplicate": '{"a":1,"a":2}',
        "json-deep": "[" * 33 + "]" * 33,
    }.items():
        seeds[name] = seed(2, 255, text)
    return seeds


# --- resp ------------------------------------------------------------------------------------


def resp_seeds() -> dict[str, bytes]:
    """Replies a Redis 7 server sends (RESP2 and RESP3), and near-valid ones; options bits 0-1
    pick the limits (RESPDecoderFuzz.limits)."""
    xread = (
        b"*1\r\n*2\r\n$7\r\ngw:{u1}\r\n*1\r\n*2\r\n$3\r\n1-0\r\n"
        b"*4\r\n$1\r\nm\r\n$5\r\nhello\r\n$1\r\no\r\n$2\r\n17\r\n"
    )
    hello = (
        b"%3\r\n$6\r\nserver\r\n$5\r\nredis\r\n$5\r\nproto\r\n:3\r\n"
        b"$7\r\nmodules\r\n*0\r\n"
    )
    replies = {
        "ok": b"+OK\r\n",
        "pong": b"+PONG\r\n",
        "wrongpass": b"-WRONGPASS invalid username-password pair or user is disabled.\r\n",
        "integer": b":1000\r\n:-9223372036854775808\r\n",
        "bulk-binary": b"$6\r\n\x00\xff\r\n\x80a\r\n",
        "nulls": b"$-1\r\n*-1\r\n_\r\n",
        "pipeline": b"+OK\r\n$1\r\nv\r\n:1\r\n$-1\r\n" * 4,
        "xread": xread,
        "hello": hello,
        "resp3-scalars": b",3.25\r\n,-inf\r\n,nan\r\n#t\r\n#f\r\n(123456789012345678901234567890\r\n",
        "verbatim": b"=15\r\ntxt:Some string\r\n",
        "blob-error": b"!21\r\nSYNTAX invalid syntax\r\n",
        "set-and-map": b"~2\r\n+a\r\n:1\r\n%1\r\n+k\r\n*1\r\n_\r\n",
        "push-message": b">3\r\n$7\r\nmessage\r\n$6\r\ngw:u:1\r\n$5\r\nhello\r\n+OK\r\n",
        "attribute": b"|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n:42\r\n",
        "deep": b"*1\r\n" * 20 + b":1\r\n",
        "bare-lf": b"+OK\n",
        "bulk-no-crlf": b"$3\r\nabcd\r\n",
        "negative-length": b"$-2\r\n",
        "integer-overflow": b":9223372036854775808\r\n",
        "streamed": b"$?\r\n;4\r\nHell\r\n;0\r\n",
        "bad-double": b",1.\r\n,0x1p3\r\n",
        "truncated": b"*3\r\n$3\r\nSET\r\n$1\r\n",
    }
    seeds: dict[str, bytes] = {}
    for name, data in replies.items():
        seeds[name] = seed(0, 255, data)
    seeds["pipeline-bytewise"] = seed(0, 0, replies["pipeline"])
    seeds["xread-split"] = seed(0, 17, xread)
    seeds["small-limits-deep"] = seed(1, 255, replies["deep"])
    seeds["small-limits-long-bulk"] = seed(1, 7, b"$65\r\n" + b"a" * 65 + b"\r\n")
    seeds["tiny-limits"] = seed(2, 255, b"*1\r\n$0\r\n\r\n+ab\r\n")
    seeds["medium-limits-hello"] = seed(3, 3, hello)
    return seeds
def client_hello(alpn: list[str] | None = None, maximum: object = None) -> bytes:
    """A real ClientHello from Python's ssl module (made in memory; random each run)."""
    context = ssl.create_default_context()
    if alpn:
        context.set_alpn_protocols(alpn)
    if maximum is not None:
        context.maximum_version = maximum
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    connection = context.wrap_bio(incoming, outgoing, server_hostname="localhost")
    try:
        connection.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


def tls_seeds() -> dict[str, bytes]:
    hello = client_hello(["h2", "http/1.1"])
    record = lambda kind, body: bytes([kind, 3, 3]) + len(body).to_bytes(2, "big") + body  # noqa: E731
    return {
        "client-hello": seed(0, 255, hello),
        "client-hello-pieces": seed(0, 7, hello),
        "client-hello-tls12": seed(0, 255, client_hello(maximum=ssl.TLSVersion.TLSv1_2)),
        "client-hello-no-alpn": seed(0, 255, client_hello()),
        "plain-http": seed(0, 255, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"),
        "garbage-handshake": seed(0, 255, b"\x16\x03\x01\x00\x05hello-this-is-not-tls"),
        "sslv2-hello": seed(0, 255, bytes.fromhex("802e0103010015000000100100800300800700c0060040020080040080")),
        "alert": seed(0, 255, record(21, b"\x02\x28")),
        "huge-record-length": seed(0, 255, bytes([22, 3, 3, 0xFF, 0xFF]) + b"\x01" * 64),
        "xor-hello": seed(1, 40, b"\x01\x02\x04\x08"),
        "second-flight": seed(2, 255, record(20, b"\x01") + record(23, b"\x00" * 48)),
        "second-flight-bytes": seed(6, 3, record(22, b"\x14\x00\x00\x20" + b"\x00" * 32)),
    }


# --- httpresponse ----------------------------------------------------------------------------


def http_response_seeds() -> dict[str, bytes]:
    polling = (
        "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n"
        "Content-Type: text/plain; charset=UTF-8\r\nCache-Control: no-store\r\n"
        "Content-Length: 4\r\n\r\n40\x1e6"
    )
    upgrade = (
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"
    )
    unknown = (
        "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: 41\r\n"
        'Connection: close\r\n\r\n{"code":1,"message":"Session ID unknown"}'
    )
    return {
        "polling": seed(0, 255, polling),
        "polling-dripped": seed(0, 0, polling),
        "keep-alive-pair": seed(0, 7, polling + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
        "upgrade-then-frame": seed(0, 255, upgrade.encode() + b"\x81\x063probe"),
        "unknown-session": seed(0, 255, unknown),
        "no-content": seed(0, 255, "HTTP/1.1 204 No Content\r\n\r\n"),
        "http10": seed(0, 255, "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx"),
        "chunked": seed(0, 255, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        "two-lengths": seed(0, 255, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx"),
        "small-limits": seed(1, 255, polling),
        "no-body-allowed": seed(2, 255, polling),
        "bare-lf": seed(0, 255, "HTTP/1.1 200 OK\nContent-Length: 0\n\n"),
    }


def main() -> None:
    targets = {
        "http": http_seeds(),
        "websocket": websocket_seeds(),
        "engineio": engineio_seeds(),
        "socketio": socketio_seeds(),
        "json": json_seeds(),
        "jwt": jwt_seeds(),
        "resp": resp_seeds(),
        "tls": tls_seeds(),
        "httpresponse": http_response_seeds(),
    }
    for target, seeds in targets.items():
        folder = CORPUS / target
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for name, data in seeds.items():
            (folder / name).write_bytes(data)
        print(f"{target}: {len(seeds)} seeds")


if __name__ == "__main__":
    main()

/// The OpenAPI 3.1 description of every HTTP route, served at `GET /api/gateway/openapi.json`
/// without a credential (it describes the API; it holds nothing secret).
///
/// Compiled into the binary as string literals (no resource bundle beside it), in parts
/// so no file grows past the house limit: this header, the seed's push and presence
/// routes, the durable-delivery routes, the rooms' routes, the operator's routes, the shared
/// components, and the schemas.
/// Each part is a run of JSON object members; `Tests/Interop/test_openapi.py` validates the
/// whole with openapi-spec-validator and calls every documented operation on the binary.
enum OpenAPIDocument {
  /// The document, UTF-8, built once.
  static let json: [UInt8] = Array(
    ("{" + header + #","paths":{"# + seedPaths + "," + deliveryPaths + "," + roomPaths + ","
      + opsPaths + #"},"components":{"# + components + #","schemas":{"# + schemas + ","
      + roomSchemas + "}}}").utf8)

  private static let header = #"""
    "openapi": "3.1.0",
    "info": {
      "title": "Gateway REST API",
      "version": "1.0.0",
      "summary": "Push events to Socket.IO users by id, read presence, history and metrics.",
      "description": "Browsers and apps connect to the gateway with socket.io-client v4 and a JWT; the operator's backend pushes events to users through this API. Every /api/gateway route except this document needs `Authorization: Bearer <credential>`: a static key from GATEWAY_API_KEYS, or a JWT that verifies like a connection token and carries the API role (`roles: [\"admin\"]` or `role: \"admin\"`; GATEWAY_API_ROLE changes it). A valid token without the role gets 403. Errors use the NestJS shape `{\"statusCode\":400,\"message\":\"...\",\"error\":\"Bad Request\"}`. A wrong method on a known path answers 405 with an Allow header, and an unknown path 404 `Cannot <METHOD> <path>`, both in that shape. With GATEWAY_API_RATE_PER_S set, a credential over its rate gets 429 with Retry-After on every route; a failing message store answers 503.",
      "license": { "name": "Proprietary", "identifier": "LicenseRef-Proprietary" }
    },
    "servers": [{ "url": "/", "description": "The gateway itself" }],
    "security": [{ "bearerAuth": [] }],
    "tags": [
      { "name": "push", "description": "Send events to users." },
      { "name": "presence", "description": "Who is connected." },
      { "name": "history", "description": "Durable delivery: stored messages and per-user logs." },
      { "name": "rooms", "description": "Rooms, room sends, presence, and ending a user's sockets." },
      { "name": "operations", "description": "Health, metrics, this document, the dashboard." }
    ]
    """#
}

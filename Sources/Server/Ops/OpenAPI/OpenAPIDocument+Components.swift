extension OpenAPIDocument {
  /// The security schemes, shared parameters, request bodies and error answers.
  static let components = #"""
    "securitySchemes": {
      "bearerAuth": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT or API key", "description": "A key from GATEWAY_API_KEYS, or a JWT signed with the gateway's key that carries the API role (default admin)." },
      "metricsToken": { "type": "http", "scheme": "bearer", "description": "GATEWAY_METRICS_TOKEN: reads /metrics only." }
    },
    "parameters": {
      "UserId": { "name": "userId", "in": "path", "required": true, "description": "The user id, as in the tokens' user claim (percent-encoded in the path).", "schema": { "type": "string", "minLength": 1 }, "example": "507f1f77bcf86cd799439011" },
      "MessageId": { "name": "messageId", "in": "path", "required": true, "description": "A messageId from a send or send-many answer.", "schema": { "type": "string", "minLength": 1 }, "example": "m_01J9Z6" },
      "Room": { "name": "room", "in": "path", "required": true, "description": "A room name: 1 to 128 characters of A-Z a-z 0-9 _ . : @ -.", "schema": { "$ref": "#/components/schemas/RoomName" }, "example": "team:42" }
    },
    "requestBodies": {
      "Members": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/MembersRequest" }, "example": { "userIds": ["alice", "bob"] } } } }
    },
    "responses": {
      "MalformedRequest": { "description": "The HTTP request itself is malformed (a bad header such as a non-numeric Content-Length); the connection is closed after the answer.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NestError" }, "example": { "statusCode": 400, "message": "Content-Length is not a decimal number", "error": "Bad Request" } } } },
      "BadRequest": { "description": "The body or a parameter is invalid; the message says which field and why. Nothing was stored or delivered.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NestError" }, "example": { "statusCode": 400, "message": "userId must be a non-empty string", "error": "Bad Request" } } } },
      "Unauthorized": { "description": "No credential, not Bearer, or a token that does not verify.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NestError" }, "example": { "statusCode": 401, "message": "Missing Authorization header: send 'Authorization: Bearer <admin JWT or API key>'", "error": "Unauthorized" } } } },
      "Forbidden": { "description": "A valid JWT without the API role.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NestError" }, "example": { "statusCode": 403, "message": "Token for user 507f1f77bcf86cd799439011 lacks the 'admin' role required by the REST API: add it to the token's roles claim, or use an API key", "error": "Forbidden" } } } },
      "RoomNotFound": { "description": "The room has no members.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NestError" }, "example": { "statusCode": 404, "message": "Room team:42 has no members", "error": "Not Found" } } } },
      "TooManyRequests": { "description": "Over GATEWAY_API_RATE_PER_S for this credential (only when that is set). Retry after the number of seconds in Retry-After.", "headers": { "Retry-After": { "description": "Seconds to wait before the next call.", "schema": { "type": "integer", "minimum": 1 } } }, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NestError" }, "example": { "statusCode": 429, "message": "Too Many Requests", "error": "Too Many Requests" } } } },
      "NotFound": { "description": "No such message (never stored, or expired and removed).", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NestError" }, "example": { "statusCode": 404, "message": "Message m_01J9Z6 not found", "error": "Not Found" } } } },
      "PayloadTooLarge": { "description": "The body is larger than GATEWAY_MAX_BODY_BYTES.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NestError" }, "example": { "statusCode": 413, "message": "Request body larger than 1000000 bytes", "error": "Payload Too Large" } } } },
      "UnsupportedMediaType": { "description": "A Content-Type other than application/json.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NestError" }, "example": { "statusCode": 415, "message": "Content-Type must be application/json", "error": "Unsupported Media Type" } } } },
      "StoreUnavailable": { "description": "The message store failed (disk full, I/O error); nothing was acknowledged. Retry later.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NestError" }, "example": { "statusCode": 503, "message": "Message store unavailable: disk I/O error", "error": "Service Unavailable" } } } }
    }
    """#

  /// The schemas of the seed's and durable delivery's bodies and answers, and the operator's.
  static let schemas = #"""
      "NestError": {
        "type": "object",
        "required": ["statusCode", "message", "error"],
        "properties": {
          "statusCode": { "type": "integer", "minimum": 400, "maximum": 599 },
          "message": { "oneOf": [{ "type": "string" }, { "type": "array", "items": { "type": "string" } }], "description": "What is wrong, in a sentence that says how to fix it." },
          "error": { "type": "string", "description": "The status's reason phrase." }
        }
      },
      "EventName": { "type": "string", "minLength": 1, "not": { "enum": ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"] }, "description": "Any name but Socket.IO's reserved ones.", "example": "notification" },
      "Payload": { "description": "Any JSON value (missing: null), forwarded as JSON.stringify writes it, key order kept." },
      "DeliveryOptions": {
        "type": "object",
        "properties": {
          "persist": { "type": "boolean", "default": true, "description": "false: live only, nothing stored." },
          "ttl": { "type": "integer", "minimum": 1, "maximum": 31536000000, "description": "Seconds the message may wait for an offline user, a positive whole number; the store clamps it to the retention (GATEWAY_HISTORY_TTL_S), so it can only shorten it." },
          "id": { "type": "string", "minLength": 1, "maxLength": 200, "description": "Idempotency key: a repeat from the same credential within the retention answers the first answer again and delivers nothing." },
          "collapseKey": { "type": "string", "minLength": 1, "maxLength": 200, "description": "A still-queued message of the same user with this key is replaced by this one." },
          "from": { "type": "string", "minLength": 1, "maxLength": 200, "description": "The author's user id, kept with the message and shown in history; the author's sockets get `messageRead` when a recipient reads it. Allowed with persist false too." }
        },
        "if": { "required": ["persist"], "properties": { "persist": { "const": false } } },
        "then": { "not": { "anyOf": [{ "required": ["ttl"] }, { "required": ["id"] }, { "required": ["collapseKey"] }] } },
        "description": "`ttl`, `id` and `collapseKey` need persist true: with persist false they are a 400."
      },
      "SendRequest": {
        "allOf": [{ "$ref": "#/components/schemas/DeliveryOptions" }],
        "type": "object",
        "required": ["userId", "event"],
        "properties": {
          "userId": { "type": "string", "minLength": 1 },
          "event": { "$ref": "#/components/schemas/EventName" },
          "message": { "$ref": "#/components/schemas/Payload" }
        }
      },
      "SendResponse": {
        "type": "object",
        "required": ["success", "message"],
        "properties": {
          "success": { "type": "boolean", "description": "Whether a live socket of the user got it now." },
          "message": { "type": "string" },
          "messageId": { "type": "string", "description": "Present when the message was persisted." },
          "queued": { "type": "boolean", "description": "Stored for a user with no live socket; delivered when the user connects." }
        }
      },
      "SendManyRequest": {
        "allOf": [{ "$ref": "#/components/schemas/DeliveryOptions" }],
        "type": "object",
        "required": ["userIds", "event"],
        "properties": {
          "userIds": { "type": "array", "minItems": 1, "items": { "type": "string", "minLength": 1 } },
          "event": { "$ref": "#/components/schemas/EventName" },
          "message": { "$ref": "#/components/schemas/Payload" }
        }
      },
      "SendManyResponse": {
        "type": "object",
        "required": ["success", "message", "userIds"],
        "properties": {
          "success": { "type": "boolean" },
          "message": { "type": "string", "example": "Message sent to 2 users" },
          "userIds": { "type": "array", "items": { "type": "string" } },
          "messageId": { "type": "string" },
          "queuedUserIds": { "type": "array", "items": { "type": "string" }, "description": "Listed users that had no live socket." }
        }
      },
      "StatusResponse": {
        "type": "object",
        "required": ["userId", "connected"],
        "properties": { "userId": { "type": "string" }, "connected": { "type": "boolean" } }
      },
      "ConnectedResponse": {
        "type": "object",
        "required": ["connectedUsers", "count"],
        "properties": { "connectedUsers": { "type": "array", "items": { "type": "string" } }, "count": { "type": "integer", "minimum": 0 } }
      },
      "StatsResponse": {
        "type": "object",
        "required": ["connectedUsers", "userIds"],
        "properties": { "connectedUsers": { "type": "integer", "minimum": 0 }, "userIds": { "type": "array", "items": { "type": "string" } } }
      },
      "MessageState": { "type": "string", "enum": ["queued", "sent", "delivered", "read", "expired"] },
      "Timestamp": { "type": ["string", "null"], "format": "date-time", "example": "2026-12-04T10:00:00.000Z" },
      "Recipient": {
        "type": "object",
        "required": ["userId", "offset", "state", "sentAt", "deliveredAt", "readAt"],
        "properties": {
          "userId": { "type": "string" },
          "offset": { "type": "string", "description": "Opaque; increasing within the user's log." },
          "state": { "$ref": "#/components/schemas/MessageState" },
          "sentAt": { "$ref": "#/components/schemas/Timestamp" },
          "deliveredAt": { "$ref": "#/components/schemas/Timestamp" },
          "readAt": { "$ref": "#/components/schemas/Timestamp" }
        }
      },
      "MessageRecord": {
        "type": "object",
        "required": ["messageId", "event", "message", "createdAt", "recipients"],
        "properties": {
          "messageId": { "type": "string" },
          "event": { "type": "string" },
          "message": { "$ref": "#/components/schemas/Payload" },
          "createdAt": { "type": "string", "format": "date-time" },
          "recipients": { "type": "array", "items": { "$ref": "#/components/schemas/Recipient" } }
        }
      },
      "HistoryEntry": {
        "type": "object",
        "required": ["offset", "messageId", "event", "message", "createdAt", "state"],
        "properties": {
          "offset": { "type": "string" },
          "messageId": { "type": "string" },
          "event": { "type": "string" },
          "message": { "$ref": "#/components/schemas/Payload" },
          "createdAt": { "type": "string", "format": "date-time" },
          "state": { "$ref": "#/components/schemas/MessageState" }
        }
      },
      "HistoryResponse": {
        "type": "object",
        "required": ["userId", "messages", "next"],
        "properties": {
          "userId": { "type": "string" },
          "messages": { "type": "array", "items": { "$ref": "#/components/schemas/HistoryEntry" } },
          "next": { "type": ["string", "null"], "description": "Pass as `after` for the next page; null at the end." }
        }
      },
      "DeleteHistoryResponse": {
        "type": "object",
        "required": ["userId", "deleted"],
        "properties": { "userId": { "type": "string" }, "deleted": { "type": "integer", "minimum": 0 } }
      },
      "Latency": {
        "type": "object",
        "required": ["count", "p50Ms", "p90Ms", "p99Ms"],
        "description": "Percentiles estimated from the /metrics histogram buckets (as histogram_quantile does); null before the first observation.",
        "properties": {
          "count": { "type": "integer", "minimum": 0 },
          "p50Ms": { "type": ["number", "null"] },
          "p90Ms": { "type": ["number", "null"] },
          "p99Ms": { "type": ["number", "null"] }
        }
      },
      "DashboardSnapshot": {
        "type": "object",
        "required": ["time", "uptimeSeconds", "tcpConnections", "sockets", "users", "counters", "restLatency", "pushLatency", "userList", "usersListed", "truncated"],
        "properties": {
          "time": { "type": "string", "format": "date-time" },
          "uptimeSeconds": { "type": "number", "minimum": 0 },
          "tcpConnections": { "type": "integer", "minimum": 0 },
          "sockets": { "type": "integer", "minimum": 0 },
          "users": { "type": "integer", "minimum": 0, "description": "Equals connectedUsers of /api/gateway/stats." },
          "counters": { "type": "object", "additionalProperties": { "type": "integer", "minimum": 0 }, "description": "Totals since start, as in /metrics." },
          "restLatency": { "$ref": "#/components/schemas/Latency" },
          "pushLatency": { "$ref": "#/components/schemas/Latency" },
          "userList": {
            "type": "array",
            "items": {
              "type": "object",
              "required": ["userId", "sockets"],
              "properties": {
                "userId": { "type": "string" },
                "sockets": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "required": ["socketId", "transport", "peer", "connectedAt"],
                    "properties": {
                      "socketId": { "type": "string" },
                      "transport": { "type": "string", "enum": ["polling", "websocket"] },
                      "peer": { "type": "string", "description": "Address and port of the client's TCP connection." },
                      "connectedAt": { "type": "string", "format": "date-time" }
                    }
                  }
                }
              }
            }
          },
          "usersListed": { "type": "integer", "minimum": 0 },
          "truncated": { "type": "boolean", "description": "More users matched than `limit` let through." }
        }
      },
      "HealthResponse": {
        "type": "object",
        "required": ["status"],
        "properties": { "status": { "type": "string", "enum": ["ok", "draining"] } }
      }
    """#
}

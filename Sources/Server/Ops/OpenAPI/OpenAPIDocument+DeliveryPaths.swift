extension OpenAPIDocument {
  /// Durable delivery: one message by id, a user's history, and erasing it.
  static let deliveryPaths = #"""
    "/api/gateway/messages/{messageId}": {
      "get": {
        "tags": ["history"],
        "operationId": "getMessage",
        "summary": "One persisted push and the state of each recipient",
        "description": "States only move forward: queued (stored, no live socket got it) -> sent -> delivered (a socket reported it) -> read; or expired when retention ran out before delivery.",
        "parameters": [{ "$ref": "#/components/parameters/MessageId" }],
        "responses": {
          "200": {
            "description": "The message.",
            "content": {
              "application/json": {
                "schema": { "$ref": "#/components/schemas/MessageRecord" },
                "example": { "messageId": "m_01J9Z6", "event": "notification", "message": { "title": "Test" }, "createdAt": "2026-12-04T10:00:00.000Z", "recipients": [{ "userId": "507f1f77bcf86cd799439011", "offset": "Kk6yM_tD8oJB.42", "state": "read", "sentAt": "2026-12-04T10:00:00.004Z", "deliveredAt": "2026-12-04T10:00:00.120Z", "readAt": "2026-12-04T10:01:10.000Z" }] }
              }
            }
          },
          "400": { "$ref": "#/components/responses/MalformedRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "429": { "$ref": "#/components/responses/TooManyRequests" },
          "503": { "$ref": "#/components/responses/StoreUnavailable" }
        }
      }
    },
    "/api/gateway/history/{userId}": {
      "get": {
        "tags": ["history"],
        "operationId": "getHistory",
        "summary": "A user's persisted messages, oldest first, a page at a time",
        "description": "Pass the previous page's `next` as `after` to read on. A user with no messages has an empty history (200), not a 404.",
        "parameters": [
          { "$ref": "#/components/parameters/UserId" },
          { "name": "after", "in": "query", "required": false, "description": "An offset from an earlier answer or event (the log's epoch, a dot, a sequence number): only messages after it.", "schema": { "type": "string", "pattern": "^[A-Za-z0-9_-]{1,40}\\.[0-9]{1,18}$" }, "example": "Kk6yM_tD8oJB.41" },
          { "name": "limit", "in": "query", "required": false, "description": "Messages per page, 1 to 500 (default 50).", "schema": { "type": "integer", "minimum": 1, "maximum": 500, "default": 50 } }
        ],
        "responses": {
          "200": {
            "description": "One page.",
            "content": {
              "application/json": {
                "schema": { "$ref": "#/components/schemas/HistoryResponse" },
                "example": { "userId": "507f1f77bcf86cd799439011", "messages": [{ "offset": "Kk6yM_tD8oJB.42", "messageId": "m_01J9Z6", "event": "notification", "message": { "title": "Test" }, "createdAt": "2026-12-04T10:00:00.000Z", "state": "sent" }], "next": null }
              }
            }
          },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "429": { "$ref": "#/components/responses/TooManyRequests" },
          "503": { "$ref": "#/components/responses/StoreUnavailable" }
        }
      },
      "delete": {
        "tags": ["history"],
        "operationId": "deleteHistory",
        "summary": "Erase a user's stored messages",
        "parameters": [{ "$ref": "#/components/parameters/UserId" }],
        "responses": {
          "200": {
            "description": "How many entries were deleted.",
            "content": {
              "application/json": {
                "schema": { "$ref": "#/components/schemas/DeleteHistoryResponse" },
                "example": { "userId": "507f1f77bcf86cd799439011", "deleted": 3 }
              }
            }
          },
          "400": { "$ref": "#/components/responses/MalformedRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "429": { "$ref": "#/components/responses/TooManyRequests" },
          "503": { "$ref": "#/components/responses/StoreUnavailable" }
        }
      }
    }
    """#
}

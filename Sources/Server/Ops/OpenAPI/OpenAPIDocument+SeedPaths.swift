extension OpenAPIDocument {
  /// The seed's routes: send, send-many, status, connected, stats.
  static let seedPaths = #"""
    "/api/gateway/send": {
      "post": {
        "tags": ["push"],
        "operationId": "send",
        "summary": "Send an event to every socket of one user",
        "description": "The event reaches every connected socket (tab, device) of the user as `socket.on(event, message)`. The answer comes once the frames are queued (and, with durable delivery, once the message is committed: a 201 then survives a crash). `message` is forwarded as JSON.stringify writes it, key order kept.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": { "$ref": "#/components/schemas/SendRequest" },
              "example": { "userId": "507f1f77bcf86cd799439011", "event": "notification", "message": { "title": "Test", "body": "This is a test notification" } }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Accepted. `success` says whether a live socket got it now; a persisted message for an offline user is `queued` and delivered when the user comes back.",
            "content": {
              "application/json": {
                "schema": { "$ref": "#/components/schemas/SendResponse" },
                "examples": {
                  "delivered": { "value": { "success": true, "message": "Message sent to user 507f1f77bcf86cd799439011", "messageId": "m_01J9Z6", "queued": false } },
                  "queued": { "value": { "success": false, "message": "User 507f1f77bcf86cd799439011 is not connected", "messageId": "m_01J9Z7", "queued": true } },
                  "notPersistedOffline": { "value": { "success": false, "message": "User 507f1f77bcf86cd799439011 is not connected" } }
                }
              }
            }
          },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "413": { "$ref": "#/components/responses/PayloadTooLarge" },
          "415": { "$ref": "#/components/responses/UnsupportedMediaType" },
          "429": { "$ref": "#/components/responses/TooManyRequests" },
          "503": { "$ref": "#/components/responses/StoreUnavailable" }
        }
      }
    },
    "/api/gateway/send-many": {
      "post": {
        "tags": ["push"],
        "operationId": "sendMany",
        "summary": "Send one event to several users",
        "description": "Each listed user (each once, duplicates ignored) gets the event on every socket. One `messageId` names the push for all recipients.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": { "$ref": "#/components/schemas/SendManyRequest" },
              "example": { "userIds": ["507f1f77bcf86cd799439011", "507f1f77bcf86cd799439012"], "event": "announcement", "message": { "title": "System Announcement" } }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Accepted; `queuedUserIds` lists the users that had no live socket (their copy waits for them when persisted).",
            "content": {
              "application/json": {
                "schema": { "$ref": "#/components/schemas/SendManyResponse" },
                "example": { "success": true, "message": "Message sent to 2 users", "userIds": ["507f1f77bcf86cd799439011", "507f1f77bcf86cd799439012"], "messageId": "m_01J9Z8", "queuedUserIds": ["507f1f77bcf86cd799439012"] }
              }
            }
          },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "413": { "$ref": "#/components/responses/PayloadTooLarge" },
          "415": { "$ref": "#/components/responses/UnsupportedMediaType" },
          "429": { "$ref": "#/components/responses/TooManyRequests" },
          "503": { "$ref": "#/components/responses/StoreUnavailable" }
        }
      }
    },
    "/api/gateway/status/{userId}": {
      "get": {
        "tags": ["presence"],
        "operationId": "status",
        "summary": "Whether a user has at least one connected socket",
        "parameters": [{ "$ref": "#/components/parameters/UserId" }],
        "responses": {
          "200": {
            "description": "The user's presence.",
            "content": {
              "application/json": {
                "schema": { "$ref": "#/components/schemas/StatusResponse" },
                "example": { "userId": "507f1f77bcf86cd799439011", "connected": true }
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
    },
    "/api/gateway/connected": {
      "get": {
        "tags": ["presence"],
        "operationId": "connected",
        "summary": "Connected users, in the order they first connected",
        "responses": {
          "200": {
            "description": "Every connected user id and their number.",
            "content": {
              "application/json": {
                "schema": { "$ref": "#/components/schemas/ConnectedResponse" },
                "example": { "connectedUsers": ["507f1f77bcf86cd799439011"], "count": 1 }
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
    },
    "/api/gateway/stats": {
      "get": {
        "tags": ["presence"],
        "operationId": "stats",
        "summary": "Number of connected users and their ids",
        "responses": {
          "200": {
            "description": "The seed's statistics.",
            "content": {
              "application/json": {
                "schema": { "$ref": "#/components/schemas/StatsResponse" },
                "example": { "connectedUsers": 1, "userIds": ["507f1f77bcf86cd799439011"] }
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

extension OpenAPIDocument {
  /// Rooms, room sends, presence and the server-side disconnect.
  static let roomPaths = #"""
    "/api/gateway/send-room": {
      "post": {
        "tags": ["rooms"],
        "operationId": "sendRoom",
        "summary": "Send an event to every member of a room",
        "description": "Goes into each recipient's log like any push: offline members get it from their queue, reconnecting ones recover it. `recipients` counts the members it was addressed to (all members but `exceptUserIds`), online or not; `success` is true when at least one of them had a live socket. With `from`, the author gets `messageRead` when a recipient reads it.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": { "$ref": "#/components/schemas/SendRoomRequest" },
              "example": { "room": "team:42", "event": "chat", "message": { "text": "hi" }, "from": "alice", "exceptUserIds": ["alice"] }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Accepted. `messageId` and `queuedUserIds` (recipients with no live socket) only when persisted.",
            "content": {
              "application/json": {
                "schema": { "$ref": "#/components/schemas/SendRoomResponse" },
                "examples": {
                  "persisted": { "value": { "success": true, "message": "Message sent to room team:42", "room": "team:42", "recipients": 2, "messageId": "m_01J9Z9", "queuedUserIds": ["bob"] } },
                  "liveOnly": { "value": { "success": true, "message": "Message sent to room team:42", "room": "team:42", "recipients": 2 } }
                }
              }
            }
          },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/RoomNotFound" },
          "413": { "$ref": "#/components/responses/PayloadTooLarge" },
          "415": { "$ref": "#/components/responses/UnsupportedMediaType" },
          "429": { "$ref": "#/components/responses/TooManyRequests" },
          "503": { "$ref": "#/components/responses/StoreUnavailable" }
        }
      }
    },
    "/api/gateway/rooms/{room}/members": {
      "put": {
        "tags": ["rooms"],
        "operationId": "addRoomMembers",
        "summary": "Add users to a room (created by its first member)",
        "description": "A member's every socket, present and future, is in the room; membership survives restarts. Users already in the room are not counted again. At most GATEWAY_ROOM_MAX_MEMBERS (10000) members per room and GATEWAY_USER_MAX_ROOMS (500) rooms per user: over one is a 400 that says which, and nothing changes.",
        "parameters": [{ "$ref": "#/components/parameters/Room" }],
        "requestBody": { "$ref": "#/components/requestBodies/Members" },
        "responses": {
          "200": {
            "description": "How many were added, and the room's size now.",
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/MembersAdded" }, "example": { "room": "team:42", "added": 2, "members": 2 } } }
          },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "413": { "$ref": "#/components/responses/PayloadTooLarge" },
          "415": { "$ref": "#/components/responses/UnsupportedMediaType" },
          "429": { "$ref": "#/components/responses/TooManyRequests" },
          "503": { "$ref": "#/components/responses/StoreUnavailable" }
        }
      },
      "delete": {
        "tags": ["rooms"],
        "operationId": "removeRoomMembers",
        "summary": "Remove users from a room",
        "description": "Users who are not members are ignored. A room whose last member leaves no longer exists.",
        "parameters": [{ "$ref": "#/components/parameters/Room" }],
        "requestBody": { "$ref": "#/components/requestBodies/Members" },
        "responses": {
          "200": {
            "description": "How many were removed, and the room's size now.",
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/MembersRemoved" }, "example": { "room": "team:42", "removed": 1, "members": 1 } } }
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
    "/api/gateway/rooms/{room}": {
      "get": {
        "tags": ["rooms"],
        "operationId": "getRoom",
        "summary": "A room's members and which of them are online",
        "parameters": [{ "$ref": "#/components/parameters/Room" }],
        "responses": {
          "200": {
            "description": "Members in the order they were added; `online`: those with a live socket now.",
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RoomResponse" }, "example": { "room": "team:42", "members": ["alice", "bob"], "online": ["alice"] } } }
          },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/RoomNotFound" },
          "429": { "$ref": "#/components/responses/TooManyRequests" },
          "503": { "$ref": "#/components/responses/StoreUnavailable" }
        }
      },
      "delete": {
        "tags": ["rooms"],
        "operationId": "deleteRoom",
        "summary": "Remove every member of a room",
        "parameters": [{ "$ref": "#/components/parameters/Room" }],
        "responses": {
          "200": {
            "description": "How many members were removed (0 for a room that had none).",
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RoomDeleted" }, "example": { "room": "team:42", "removed": 2 } } }
          },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "429": { "$ref": "#/components/responses/TooManyRequests" },
          "503": { "$ref": "#/components/responses/StoreUnavailable" }
        }
      }
    },
    "/api/gateway/users/{userId}/rooms": {
      "get": {
        "tags": ["rooms"],
        "operationId": "userRooms",
        "summary": "The rooms a user is in, in the order they were joined",
        "parameters": [{ "$ref": "#/components/parameters/UserId" }],
        "responses": {
          "200": {
            "description": "The user's rooms (empty for an unknown user).",
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/UserRoomsResponse" }, "example": { "userId": "alice", "rooms": ["team:42", "doc:7"] } } }
          },
          "400": { "$ref": "#/components/responses/MalformedRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "429": { "$ref": "#/components/responses/TooManyRequests" },
          "503": { "$ref": "#/components/responses/StoreUnavailable" }
        }
      }
    },
    "/api/gateway/presence": {
      "get": {
        "tags": ["rooms"],
        "operationId": "presence",
        "summary": "Published presence of up to 1000 users",
        "description": "The state co-members see in `presence` events: a change is published once it held for GATEWAY_PRESENCE_GRACE_MS (5000), so a reload inside the grace shows nothing. `lastSeen` is when the user's last socket left (null if never seen since start, or online).",
        "parameters": [
          { "name": "userIds", "in": "query", "required": true, "description": "1 to 1000 user ids, comma-separated (no empty ones).", "schema": { "type": "string", "pattern": "^[^,]+(,[^,]+)*$" }, "example": "alice,bob" }
        ],
        "responses": {
          "200": {
            "description": "One entry per id, in the order given.",
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/PresenceResponse" }, "example": { "users": [{ "userId": "alice", "online": true, "lastSeen": null }, { "userId": "bob", "online": false, "lastSeen": "2026-12-04T09:58:12.345Z" }] } } }
          },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "429": { "$ref": "#/components/responses/TooManyRequests" },
          "503": { "$ref": "#/components/responses/StoreUnavailable" }
        }
      }
    },
    "/api/gateway/disconnect": {
      "post": {
        "tags": ["rooms"],
        "operationId": "disconnect",
        "summary": "End every socket of a user at once (ban, logout, password change)",
        "description": "Each socket gets `error` `{\"message\":\"Disconnected by server\",\"reason\"}` then a server-side disconnect, so socket.io-client does not reconnect by itself.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": { "$ref": "#/components/schemas/DisconnectRequest" },
              "example": { "userId": "507f1f77bcf86cd799439011", "reason": "logout" }
            }
          }
        },
        "responses": {
          "201": {
            "description": "How many sockets were ended (0 when the user had none).",
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/DisconnectResponse" }, "example": { "success": true, "userId": "507f1f77bcf86cd799439011", "disconnected": 2 } } }
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
    }
    """#
}

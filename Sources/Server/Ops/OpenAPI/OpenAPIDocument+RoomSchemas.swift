extension OpenAPIDocument {
  /// The schemas of the rooms' bodies and answers, presence and the server-side disconnect.
  static let roomSchemas = #"""
    "RoomName": { "type": "string", "pattern": "^[A-Za-z0-9_.:@-]{1,128}$", "example": "team:42" },
    "UserIdList": { "type": "array", "minItems": 1, "maxItems": 1000, "items": { "type": "string", "minLength": 1 } },
    "MembersRequest": {
      "type": "object",
      "required": ["userIds"],
      "properties": { "userIds": { "$ref": "#/components/schemas/UserIdList" } }
    },
    "MembersAdded": {
      "type": "object",
      "required": ["room", "added", "members"],
      "properties": { "room": { "type": "string" }, "added": { "type": "integer", "minimum": 0 }, "members": { "type": "integer", "minimum": 0, "description": "The room's members after the change." } }
    },
    "MembersRemoved": {
      "type": "object",
      "required": ["room", "removed", "members"],
      "properties": { "room": { "type": "string" }, "removed": { "type": "integer", "minimum": 0 }, "members": { "type": "integer", "minimum": 0, "description": "The room's members after the change." } }
    },
    "RoomResponse": {
      "type": "object",
      "required": ["room", "members", "online"],
      "properties": {
        "room": { "type": "string" },
        "members": { "type": "array", "items": { "type": "string" }, "description": "In the order they were added." },
        "online": { "type": "array", "items": { "type": "string" }, "description": "The members with a live socket now." }
      }
    },
    "RoomDeleted": {
      "type": "object",
      "required": ["room", "removed"],
      "properties": { "room": { "type": "string" }, "removed": { "type": "integer", "minimum": 0 } }
    },
    "UserRoomsResponse": {
      "type": "object",
      "required": ["userId", "rooms"],
      "properties": { "userId": { "type": "string" }, "rooms": { "type": "array", "items": { "type": "string" } } }
    },
    "SendRoomRequest": {
      "allOf": [{ "$ref": "#/components/schemas/DeliveryOptions" }],
      "type": "object",
      "required": ["room", "event"],
      "properties": {
        "room": { "$ref": "#/components/schemas/RoomName" },
        "event": { "$ref": "#/components/schemas/EventName" },
        "message": { "$ref": "#/components/schemas/Payload" },
        "exceptUserIds": { "type": "array", "maxItems": 1000, "items": { "type": "string", "minLength": 1 }, "description": "Members who do not get it (the author, typically)." }
      }
    },
    "SendRoomResponse": {
      "type": "object",
      "required": ["success", "message", "room", "recipients"],
      "properties": {
        "success": { "type": "boolean", "description": "Whether at least one recipient had a live socket." },
        "message": { "type": "string", "example": "Message sent to room team:42" },
        "room": { "type": "string" },
        "recipients": { "type": "integer", "minimum": 0, "description": "Members it was addressed to, online or not." },
        "messageId": { "type": "string", "description": "Present when the message was persisted." },
        "queuedUserIds": { "type": "array", "items": { "type": "string" }, "description": "Recipients that had no live socket (persisted only)." }
      }
    },
    "PresenceResponse": {
      "type": "object",
      "required": ["users"],
      "properties": {
        "users": {
          "type": "array",
          "items": {
            "type": "object",
            "required": ["userId", "online", "lastSeen"],
            "properties": { "userId": { "type": "string" }, "online": { "type": "boolean" }, "lastSeen": { "$ref": "#/components/schemas/Timestamp" } }
          }
        }
      }
    },
    "DisconnectRequest": {
      "type": "object",
      "required": ["userId"],
      "properties": {
        "userId": { "type": "string", "minLength": 1 },
        "reason": { "type": ["string", "null"], "maxLength": 200, "description": "Passed to each socket in the `error` event." }
      }
    },
    "DisconnectResponse": {
      "type": "object",
      "required": ["success", "userId", "disconnected"],
      "properties": { "success": { "type": "boolean", "const": true }, "userId": { "type": "string" }, "disconnected": { "type": "integer", "minimum": 0 } }
    }
    """#
}

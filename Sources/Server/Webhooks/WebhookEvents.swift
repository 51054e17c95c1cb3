import Protocol

/// The webhook bodies: `{"type","timestamp","data"}` with the data of each type.
enum WebhookEvents {
  /// A new event of `type` for `userID` at `now` (unix ms).
  static func make(_ type: String, userID: String, data: [(String, JSONValue)], now: Int64)
    -> WebhookEvent
  {
    let body = JSONValue.object(
      JSONObject([
        ("type", .string(type)),
        ("timestamp", DeliveryJSON.time(now)),
        ("data", .object(JSONObject(data))),
      ]))
    var bytes: [UInt8] = []
    JSONWriter.write(body, into: &bytes)
    return WebhookEvent(id: "msg_" + RandomID.make(), userKey: userID, body: bytes, createdAt: now)
  }

  /// `message.delivered` / `message.read`: `{"messageId","userId","at","room"?}`.
  static func messageState(
    _ type: String, messageID: String, userID: String, room: String?, now: Int64
  ) -> WebhookEvent {
    var data: [(String, JSONValue)] = [
      ("messageId", .string(messageID)), ("userId", .string(userID)),
      ("at", DeliveryJSON.time(now)),
    ]
    if let room { data.append(("room", .string(room))) }
    return make(type, userID: userID, data: data, now: now)
  }

  /// `message.expired`: `{"messageId","userId"}`.
  static func expired(messageID: String, userID: String, now: Int64) -> WebhookEvent {
    make(
      "message.expired", userID: userID,
      data: [("messageId", .string(messageID)), ("userId", .string(userID))], now: now)
  }

  /// `user.online` / `user.offline`: `{"userId","lastSeen"?}`.
  static func presence(userID: String, online: Bool, lastSeen: Int64?, now: Int64) -> WebhookEvent {
    var data: [(String, JSONValue)] = [("userId", .string(userID))]
    if let lastSeen { data.append(("lastSeen", DeliveryJSON.time(lastSeen))) }
    return make(online ? "user.online" : "user.offline", userID: userID, data: data, now: now)
  }

  /// `client.event`: `{"userId","socketId","event","args"}` (binary arguments as base64).
  static func clientEvent(
    userID: String, socketID: String, event: String, arguments: [JSONValue], now: Int64
  ) -> WebhookEvent {
    make(
      "client.event", userID: userID,
      data: [
        ("userId", .string(userID)), ("socketId", .string(socketID)), ("event", .string(event)),
        ("args", .array(arguments)),
      ], now: now)
  }
}

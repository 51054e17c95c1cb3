import Protocol

/// `client.event`: a client's event forwarded to the backend, binary arguments as base64.
extension Webhooks {
  /// Events the gateway answers itself (never forwarded by `*`).
  static let handledEvents: Set<String> = [
    "message", "delivered", "read", "history", "join", "leave", "typing", "refreshToken",
  ]

  /// Whether a client event named `name` goes to the backend.
  func forwardsClientEvent(_ name: String) -> Bool {
    clientEvents.contains(name)
      || (clientEvents.contains("*") && !Self.handledEvents.contains(name))
  }

  /// Forwards one client event; returns the ack's argument: the backend's answer (sync), or
  /// `{"success":true}` once queued.
  func forward(
    _ name: String, arguments: [JSONValue], attachments: [[UInt8]], userID: String,
    socketID: String, answerNow: Bool
  ) async -> JSONValue {
    let event = WebhookEvents.clientEvent(
      userID: userID, socketID: socketID, event: name,
      arguments: arguments.map { Self.inliningAttachments($0, attachments) },
      now: Clock.unixMilliseconds())
    if answerNow, clientEventsSync { return await sendNow(event) }
    do {
      try await enqueue([event])
      return .object(JSONObject([("success", .bool(true))]))
    } catch {
      logger.error("webhook events not queued", ["error": error.message])
      return Self.failure("Store unavailable")
    }
  }

  /// `{"_placeholder":true,"num":N}` replaced by attachment N as a base64 string.
  static func inliningAttachments(_ value: JSONValue, _ attachments: [[UInt8]]) -> JSONValue {
    switch value {
    case .object(let object):
      if object["_placeholder"] == .bool(true), let number = object["num"]?.numberValue,
        number >= 0, Int(number) < attachments.count
      {
        return .string(Base64.encode(attachments[Int(number)], alphabet: .standard))
      }
      return .object(
        JSONObject(object.keys.map { ($0, inliningAttachments(object[$0] ?? .null, attachments)) }))
    case .array(let items):
      return .array(items.map { inliningAttachments($0, attachments) })
    default:
      return value
    }
  }
}

import Protocol

/// The Socket.IO packets the gateway itself writes on `/`, built in one place.
enum ServerPackets {
  /// `42["<name>",<payload>]`.
  static func event(_ name: String, _ payload: JSONValue) -> OutboundPacket {
    .socketIO(SocketIOPacket(type: .event, data: .array([.string(name), payload])))
  }

  /// `43<id>[<answer>]`.
  static func ack(_ id: UInt64, _ answer: JSONValue) -> OutboundPacket {
    .socketIO(SocketIOPacket(type: .ack, ackID: id, data: .array([answer])))
  }

  /// `error` `{"message","reason"?}`.
  static func error(_ message: String, reason: String? = nil) -> OutboundPacket {
    var pairs: [(String, JSONValue)] = [("message", .string(message))]
    if let reason { pairs.append(("reason", .string(reason))) }
    return event("error", .object(JSONObject(pairs)))
  }

  /// The CONNECT reply `40{"sid"[,"pid"]}`.
  static func connectReply(socketID: String, pid: String? = nil) -> OutboundPacket {
    var pairs: [(String, JSONValue)] = [("sid", .string(socketID))]
    if let pid { pairs.append(("pid", .string(pid))) }
    return .socketIO(SocketIOPacket(type: .connect, data: .object(JSONObject(pairs))))
  }

  /// The server-side DISCONNECT `41`.
  static let disconnect = OutboundPacket.socketIO(SocketIOPacket(type: .disconnect))

  /// The seed's `connected` event.
  static func connected(userID: String, socketID: String) -> OutboundPacket {
    event(
      "connected",
      .object(
        JSONObject([
          ("message", .string("Successfully connected to WebSocket")),
          ("userId", .string(userID)),
          ("socketId", .string(socketID)),
        ])))
  }
}

import Protocol

/// Conformance mode (`--conformance`, tests only): the handlers socket.io's official
/// protocol test suite expects on `/` and `/custom`: any CONNECT is accepted and answered
/// with an `auth` event echoing the handshake payload; `message` comes back as
/// `message-back` with the same arguments (attachments included); `message-with-ack` is
/// acknowledged with its arguments.
extension ConnectionActor {
  /// Namespaces the conformance suite connects to.
  static let conformanceNamespaces: Set<String> = ["/", "/custom"]

  /// Joins `namespace` without authentication and emits `auth`.
  func conformanceConnect(namespace: String, auth: JSONValue?) async {
    let socketID = RandomID.make()
    otherNamespaces[namespace] = socketID
    timers.namespaceJoined()
    await emit([
      .socketIO(
        SocketIOPacket(
          type: .connect, namespace: namespace,
          data: .object(JSONObject([("sid", .string(socketID))])))),
      .socketIO(
        SocketIOPacket(
          type: .event, namespace: namespace,
          data: .array([.string("auth"), auth ?? .object(JSONObject())]))),
    ])
  }

  /// Handles the suite's events; false for any other event.
  func handleConformanceEvent(_ name: String, _ assembled: SocketIOAssembledPacket) async -> Bool {
    let packet = assembled.packet
    guard case .array(let arguments)? = packet.data else { return false }
    let rest = Array(arguments.dropFirst())
    let binary = !assembled.attachments.isEmpty
    switch name {
    case "message":
      await emit(
        Self.packets(
          type: binary ? .binaryEvent : .event, data: .array([.string("message-back")] + rest),
          attachments: assembled.attachments, ackID: nil, namespace: packet.namespace))
      return true
    case "message-with-ack":
      guard let ackID = packet.ackID else { return true }
      await emit(
        Self.packets(
          type: binary ? .binaryAck : .ack, data: .array(rest), attachments: assembled.attachments,
          ackID: ackID, namespace: packet.namespace))
      return true
    default:
      return false
    }
  }
}

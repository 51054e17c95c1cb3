import Protocol

/// The events a joined socket may send beyond the seed's `message`, handed to the feature
/// that owns them: receipts and history (`Delivery`), rooms and typing (`Rooms`), and the
/// events forwarded to the backend (`Webhooks`). The session actor keeps only the per-socket
/// state (budgets, the token) and writes the ack.
enum ClientEvents {
  /// The ack's argument for event `name`, or nil when no feature handles it.
  static func answer(
    _ name: String, arguments: ArraySlice<JSONValue>, attachments: [[UInt8]],
    socket: ConnectionActor.JoinedSocket, typingAllowed: Bool, answerNow: Bool,
    context: GatewayContext
  ) async -> JSONValue? {
    let argument = arguments.first
    if Rooms.clientEvents.contains(name) {
      return await context.rooms.clientEvent(
        name, argument: argument,
        from: Rooms.Sender(
          userID: socket.userID, patterns: socket.roomPatterns, typingAllowed: typingAllowed),
        registry: context.registry, metrics: context.metrics)
    }
    if Delivery.reportEvents.contains(name) {
      return await context.delivery.report(name, argument: argument, userID: socket.userID)
    }
    if let webhooks = context.webhooks, webhooks.forwardsClientEvent(name) {
      return await webhooks.forward(
        name, arguments: Array(arguments), attachments: attachments, userID: socket.userID,
        socketID: socket.socketID, answerNow: answerNow)
    }
    return nil
  }
}

import Protocol

/// The send path: look the targets up in the registry, encode the Socket.IO EVENT once,
/// hand the same bytes to every target's outbox.
struct Delivery: Sendable {
  let registry: RegistryActor
  let metrics: Metrics

  /// Sends `42["<event>",<argument>]` to every socket of `userID`; returns how many sockets.
  func send(event: String, argumentJSON: [UInt8], to userID: String) async -> Int {
    let targets = await registry.targets(for: userID)
    guard !targets.isEmpty else { return 0 }
    await deliver(Self.encode(event: event, argumentJSON: argumentJSON), to: targets)
    return targets.count
  }

  /// Sends to every socket of each listed user (each user once); returns connected users.
  func send(event: String, argumentJSON: [UInt8], toMany userIDs: [String]) async -> Int {
    let (targets, connectedUsers) = await registry.targets(for: userIDs)
    guard !targets.isEmpty else { return 0 }
    await deliver(Self.encode(event: event, argumentJSON: argumentJSON), to: targets)
    return connectedUsers
  }

  private static func encode(event: String, argumentJSON: [UInt8]) -> OutboundPacket {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(argumentJSON.count + event.utf8.count + 8)
    SocketIOPacketEncoder.encodeEventMessage(event: event, argumentJSON: argumentJSON, into: &bytes)
    return .text(bytes)
  }

  private func deliver(_ packet: OutboundPacket, to targets: [SocketTarget]) async {
    metrics.eventsDelivered.add(targets.count, ordering: .relaxed)
    for target in targets where target.outbox.send(packet) == .overLimit {
      metrics.slowConsumers.add(1, ordering: .relaxed)
      await target.connection.close(.slowConsumer)
    }
    RequestTiming.observe(into: metrics.pushLatency)
  }
}

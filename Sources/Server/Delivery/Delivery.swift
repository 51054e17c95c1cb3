import Auth
import Protocol

/// The send path, one for every kind of push: persisted pushes are appended to the
/// recipients' logs, committed, then fanned out in commit order (`FanOut`); live-only pushes
/// go straight to the sockets. Either way a frame reaches a socket only through its
/// `DeliveryCursor`.
struct Delivery: Sendable {
  let registry: RegistryActor
  let metrics: Metrics
  let store: any MessageStore
  let fanOut: FanOut
  /// Signs and checks `pid`s.
  let recoveryAuthenticator: MessageAuthenticator
  /// Most entries a recovery replays (`GATEWAY_RECOVERY_MAX`).
  let recoveryLimit: Int
  /// Cluster mode: carries live-only events to sockets on other nodes.
  var remote: (any RemoteDelivery)? = nil

  /// What a persisted push did.
  enum PushOutcome: Sendable {
    /// Stored; per recipient, whether a live socket got it.
    case stored(messageID: String, reached: [Bool])
    /// A repeat of an idempotency key: the first request's message and answer.
    case duplicate(messageID: String, status: Int?, answer: [UInt8]?)
    case failed(StoreError)
  }

  /// Appends, waits for the commit and the fan-out, and says who was reached.
  func push(_ request: AppendRequest) async -> PushOutcome {
    defer { RequestTiming.observe(into: metrics.pushLatency) }
    return await withCheckedContinuation {
      (continuation: CheckedContinuation<PushOutcome, Never>) in
      store.append(request) { [fanOut] result in
        switch result {
        case .failure(let error):
          continuation.resume(returning: .failed(error))
        case .success(.duplicate(let messageID, let status, let answer)):
          continuation.resume(
            returning: .duplicate(messageID: messageID, status: status, answer: answer))
        case .success(.appended(let message)):
          // Still on the store's thread, in commit order: the fan-out keeps that order.
          fanOut.enqueue(
            FanOut.Job(
              message: message,
              done: { local in
                // Cluster mode: a socket on another node counts (the append script says so).
                let remote = message.remoteReached
                let reached =
                  remote.isEmpty ? local : zip(local, remote).map { $0 || $1 }
                continuation.resume(
                  returning: .stored(messageID: message.messageID, reached: reached))
              }))
        }
      }
    }
  }

  /// Sends a live-only event to every socket of each user, on every node; per user,
  /// whether one got it. With Redis away only this node's sockets are reached.
  func sendLive(event: String, argumentJSON: [UInt8], to userIDs: [String]) async -> [Bool] {
    defer { RequestTiming.observe(into: metrics.pushLatency) }
    let local = await sendLocal(event: event, argumentJSON: argumentJSON, to: userIDs)
    guard let remote,
      let elsewhere = await remote.publishLive(
        event: event, argumentJSON: argumentJSON, to: userIDs)
    else { return local }
    return zip(local, elsewhere).map { $0 || $1 }
  }

  /// Sends a live-only event to this node's sockets of each user.
  func sendLocal(event: String, argumentJSON: [UInt8], to userIDs: [String]) async -> [Bool] {
    let targets = await registry.targets(forEach: userIDs)
    guard targets.contains(where: { !$0.isEmpty }) else { return targets.map { _ in false } }
    let packet = Self.livePacket(event: event, argumentJSON: argumentJSON)
    var reached: [Bool] = []
    for sockets in targets {
      reached.append(
        sockets.isEmpty
          ? false : await Self.offer(packet, offset: nil, to: sockets, metrics: metrics))
    }
    return reached
  }

  /// `42["<event>",<argument>]`: an event with no offset.
  static func livePacket(event: String, argumentJSON: [UInt8]) -> OutboundPacket {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(argumentJSON.count + event.utf8.count + 8)
    appendEventPrefix(event: event, argumentJSON: argumentJSON, to: &bytes)
    bytes.append(UInt8(ascii: "]"))
    return .text(bytes)
  }

  /// `42["<event>",<argument>` (the EVENT without its closing bracket).
  static func appendEventPrefix(event: String, argumentJSON: [UInt8], to bytes: inout [UInt8]) {
    SocketIOPacketEncoder.encodeEventMessage(event: event, argumentJSON: argumentJSON, into: &bytes)
    bytes.removeLast()
  }

  /// A persisted event: the prefix, then the offset as the trailing argument.
  static func persistedPacket(prefix: [UInt8], offset: LogOffset) -> OutboundPacket {
    var bytes = prefix
    bytes.reserveCapacity(prefix.count + 32)
    bytes.append(UInt8(ascii: ","))
    JSONWriter.writeString(offset.string, into: &bytes)
    bytes.append(UInt8(ascii: "]"))
    return .text(bytes)
  }

  /// A stored entry as the event a socket receives.
  static func packet(for entry: StoredEntry) -> OutboundPacket {
    var prefix: [UInt8] = []
    appendEventPrefix(event: entry.event, argumentJSON: entry.messageJSON, to: &prefix)
    return persistedPacket(prefix: prefix, offset: entry.offset)
  }

  /// Offers one packet to each socket of a user; true when at least one took it. A socket
  /// over its outbound limit is closed as a slow consumer.
  static func offer(
    _ packet: OutboundPacket, offset: LogOffset?, to sockets: [SocketTarget], metrics: Metrics
  ) async -> Bool {
    var reached = false
    for target in sockets {
      switch target.cursor.offer(packet, offset: offset) {
      case .queued:
        reached = true
        metrics.eventsDelivered.add(1, ordering: .relaxed)
      case .overLimit:
        metrics.slowConsumers.add(1, ordering: .relaxed)
        await target.connection.close(.slowConsumer)
      case .closed:
        continue
      }
    }
    return reached
  }
}

/// Where live-only events go to reach sockets on other nodes (the cluster node).
protocol RemoteDelivery: Sendable {
  /// Per user, whether another node holds one of their sockets; nil when that cannot be
  /// known (Redis away).
  func publishLive(event: String, argumentJSON: [UInt8], to userIDs: [String]) async -> [Bool]?
}

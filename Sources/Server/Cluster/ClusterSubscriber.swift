import Protocol
import Synchronization

/// The node's pub/sub connection: it subscribes to the node's own channels (entries other
/// nodes committed for its sockets, their live-only events) and to room changes, and hands
/// what arrives to the fan-out, the live path and the room directory.
///
/// Pub/sub is at most once: after every (re)subscribe the fan-out makes each local socket
/// catch up from the store, and room directories are read again, so nothing published while
/// the subscription was away is missed. Needs RESP3 (Redis 6 or later): messages arrive as
/// push frames beside command replies.
final class ClusterSubscriber: Sendable {
  private let url: RedisURL
  private let loop: EventLoop
  private let keys: ClusterKeys
  private let nodeID: String
  /// `SSUBSCRIBE` the node channels (they are published with `SPUBLISH`).
  private let sharded: Bool
  private let logger: Logger
  private let current = Mutex<(connection: RedisConnection?, stopped: Bool)>((nil, false))

  init(
    url: RedisURL, loop: EventLoop, keys: ClusterKeys, nodeID: String, sharded: Bool,
    logger: Logger
  ) {
    self.url = url
    self.loop = loop
    self.keys = keys
    self.nodeID = nodeID
    self.sharded = sharded
    self.logger = logger
  }

  /// Connects, subscribes and dispatches until `stop()`, reconnecting with backoff.
  func run(context: GatewayContext) async {
    var backoff = ReconnectBackoff()
    var random = SystemRandomNumberGenerator()
    var wasLost = false
    while !isStopped {
      if case .wait(let until) = backoff.action(now: Clock.monotonicNanoseconds()) {
        let delay = until - Clock.monotonicNanoseconds()
        if delay > 0 { try? await Task.sleep(for: .nanoseconds(delay)) }
        continue
      }
      let connection: RedisConnection
      do {
        connection = try await RedisConnection.connect(to: url, loop: loop)
        guard connection.protocolVersion == 3 else {
          connection.close()
          throw RedisError.setupFailed(
            "Redis at \(url.host):\(url.port) does not speak RESP3: cluster mode needs Redis 6 or later"
          )
        }
        let dispatcher = Dispatcher(context: context, keys: keys, nodeID: nodeID)
        connection.onPush { dispatcher.handle($0) }
        try connection.sendExpectingPushes([
          [
            sharded ? "SSUBSCRIBE" : "SUBSCRIBE", keys.deliverChannel(nodeID),
            keys.liveChannel(nodeID),
          ],
          ["SUBSCRIBE", keys.roomsChannel],
        ])
      } catch {
        if !wasLost {
          logger.warning("Redis subscription lost", ["error": "\(error)"])
          wasLost = true
        }
        _ = backoff.attemptFailed(now: Clock.monotonicNanoseconds(), using: &random)
        continue
      }
      let keep = current.withLock { state -> Bool in
        guard !state.stopped else { return false }
        state.connection = connection
        return true
      }
      guard keep else {
        connection.close()
        return
      }
      backoff.connected()
      if wasLost {
        logger.info("Redis subscription back", ["node": nodeID])
        wasLost = false
      }
      // Whatever was published while unsubscribed is read from the store.
      context.delivery.fanOut.enqueueCatchUp()
      try? await context.rooms.load()
      await connection.run()
      current.withLock { state in
        if state.connection === connection { state.connection = nil }
      }
      guard !isStopped else { return }
      context.metrics.redisDisconnects.add(1, ordering: .relaxed)
      logger.warning("Redis subscription lost", ["node": nodeID])
      wasLost = true
      _ = backoff.attemptFailed(now: Clock.monotonicNanoseconds(), using: &random)
    }
  }

  /// Ends `run`.
  func stop() {
    let connection = current.withLock { state in
      state.stopped = true
      defer { state.connection = nil }
      return state.connection
    }
    connection?.close()
  }

  private var isStopped: Bool { current.withLock { $0.stopped } }
}

/// Routes one push frame by channel (called on the subscriber's read loop, in order).
private struct Dispatcher: Sendable {
  let context: GatewayContext
  let deliver: [UInt8]
  let live: [UInt8]
  let rooms: [UInt8]

  init(context: GatewayContext, keys: ClusterKeys, nodeID: String) {
    self.context = context
    deliver = Array(keys.deliverChannel(nodeID).utf8)
    live = Array(keys.liveChannel(nodeID).utf8)
    rooms = Array(keys.roomsChannel.utf8)
  }

  func handle(_ frame: RESPValue) {
    guard case .push(let parts) = frame, parts.count == 3, let kind = parts[0].string,
      kind == "message" || kind == "smessage", let channel = parts[1].bytes,
      let payload = parts[2].bytes
    else { return }
    context.metrics.clusterEnvelopes.add(1, ordering: .relaxed)
    if channel == deliver {
      guard let envelope = ClusterEnvelope.decode(payload) else { return dropped("entries") }
      context.delivery.fanOut.enqueueRemote(
        AppendedMessage(
          messageID: envelope.messageID, event: envelope.event,
          messageJSON: envelope.messageJSON, entries: envelope.entries))
    } else if channel == live {
      guard let event = LiveEnvelope.decode(payload) else { return dropped("live event") }
      context.delivery.fanOut.enqueueLive(event)
    } else if channel == rooms {
      let room = String(decoding: payload, as: UTF8.self)
      let rooms = context.rooms
      Task { try? await rooms.reload(room) }
    }
  }

  private func dropped(_ what: String) {
    context.logger.error("cluster message not understood: dropped", ["kind": what])
  }
}

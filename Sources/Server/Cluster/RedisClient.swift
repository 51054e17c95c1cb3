import Protocol
import Synchronization

/// A Redis connection that comes back by itself: the gateway's command channel to Redis in
/// cluster mode (the store and the cluster node share it).
///
/// `connect()` makes the first connection (its error is the one line `main` prints at
/// start); `run()` then keeps one: when it is lost, a line is logged, and new connections
/// are tried with `ReconnectBackoff` until one works or `close()`. While there is none,
/// `send` throws at once: callers answer 503 or fall back to this node's own sockets, and
/// never queue work for a Redis that may not come back.
final class RedisClient: Sendable {
  let url: RedisURL
  private let loop: EventLoop
  private let logger: Logger
  /// Which connection this is, for log lines ("commands").
  private let role: String
  private let state = Mutex(State())
  private let wakeups: AsyncStream<Void>
  private let wake: AsyncStream<Void>.Continuation
  /// Most time one connection attempt (TCP and login) may take.
  static let connectTimeout: Duration = .seconds(3)

  private struct State {
    var connection: RedisConnection?
    var closed = false
    var reconnectHandlers: [@Sendable () async -> Void] = []
    /// Disconnections counted, for metrics.
    var losses = 0
  }

  init(url: RedisURL, loop: EventLoop, logger: Logger, role: String) {
    self.url = url
    self.loop = loop
    self.logger = logger
    self.role = role
    (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
  }

  /// Makes the first connection; throws the reason as one line (never the password).
  func connect() async throws(RedisError) {
    let connection = try await Self.open(url, loop: loop)
    let keep = state.withLock { state -> Bool in
      guard !state.closed else { return false }
      state.connection = connection
      return true
    }
    if !keep { connection.close() }
  }

  /// Keeps a connection until `close()`: serves the current one, then reconnects with
  /// backoff each time it ends, calling the `onReconnect` handlers after each success.
  func run() async {
    var backoff = ReconnectBackoff()
    var random = SystemRandomNumberGenerator()
    while true {
      let connection = state.withLock { state -> RedisConnection?? in
        state.closed ? .some(nil) : .some(state.connection)
      }
      guard case .some(let current) = connection else { return }
      if let current {
        await current.run()
        let closed = state.withLock { state -> Bool in
          if state.connection === current { state.connection = nil }
          state.losses += 1
          return state.closed
        }
        if closed { return }
        logger.warning("Redis connection lost", ["role": role, "redis": "\(url)"])
      }
      // Reconnect: wait out the backoff, then try.
      if case .wait(let until) = backoff.action(now: Clock.monotonicNanoseconds()) {
        let delay = until - Clock.monotonicNanoseconds()
        if delay > 0 { try? await Task.sleep(for: .nanoseconds(delay)) }
      }
      if isClosed { return }
      do {
        let fresh = try await Self.open(url, loop: loop)
        let handlers = state.withLock { state -> [@Sendable () async -> Void]? in
          guard !state.closed else { return nil }
          state.connection = fresh
          return state.reconnectHandlers
        }
        guard let handlers else {
          fresh.close()
          return
        }
        backoff.connected()
        logger.info("Redis connection back", ["role": role, "redis": "\(url)"])
        // The handlers run while the connection serves: they may send on it.
        await withDiscardingTaskGroup { group in
          group.addTask { for handler in handlers { await handler() } }
          group.addTask { await fresh.run() }
          // `fresh.run()` returning ends the group; the loop above sees the loss.
        }
        let closed = state.withLock { state -> Bool in
          if state.connection === fresh { state.connection = nil }
          state.losses += 1
          return state.closed
        }
        if closed { return }
        logger.warning("Redis connection lost", ["role": role, "redis": "\(url)"])
        _ = backoff.attemptFailed(now: Clock.monotonicNanoseconds(), using: &random)
      } catch {
        _ = backoff.attemptFailed(now: Clock.monotonicNanoseconds(), using: &random)
      }
    }
  }

  /// Sends commands on the current connection; throws at once while there is none.
  func send(_ commands: [[[UInt8]]]) async throws(RedisError) -> [RESPValue] {
    try await current().send(commands)
  }

  /// Sends commands on the current connection; throws at once while there is none.
  func send(_ commands: [[String]]) async throws(RedisError) -> [RESPValue] {
    try await current().send(commands)
  }

  /// Runs `script` by `EVALSHA`, loading it with `EVAL` when Redis does not know it (first
  /// use, or Redis restarted). A script's error reply is thrown as `.scriptFailed`.
  func evaluate(_ script: RedisScript, keys: [[UInt8]], arguments: [[UInt8]])
    async throws(RedisError) -> RESPValue
  {
    let tail = [Array("\(keys.count)".utf8)] + keys + arguments
    let reply = try await send([[Array("EVALSHA".utf8), Array(script.sha1.utf8)] + tail])[0]
    if case .error(let message) = reply, message.hasPrefix("NOSCRIPT") {
      let loaded = try await send([[Array("EVAL".utf8), Array(script.source.utf8)] + tail])[0]
      if case .error(let message) = loaded { throw .scriptFailed(message) }
      return loaded
    }
    if case .error(let message) = reply { throw .scriptFailed(message) }
    return reply
  }

  /// Whether a connection is up now.
  var isConnected: Bool { state.withLock { $0.connection != nil } }

  /// How many times a connection was lost.
  var losses: Int { state.withLock { $0.losses } }

  /// Adds a handler run after every reconnect (not after the first `connect()`).
  func onReconnect(_ handler: @escaping @Sendable () async -> Void) {
    state.withLock { $0.reconnectHandlers.append(handler) }
  }

  /// Closes the connection and ends `run()`; later sends throw.
  func close() {
    let connection = state.withLock { state in
      state.closed = true
      defer { state.connection = nil }
      return state.connection
    }
    connection?.close()
    wake.yield()
  }

  private var isClosed: Bool { state.withLock { $0.closed } }

  private func current() throws(RedisError) -> RedisConnection {
    guard let connection = state.withLock({ $0.connection }) else {
      throw .connectionLost("Redis at \(url.host):\(url.port) is unreachable (reconnecting)")
    }
    return connection
  }

  /// One attempt, bounded by `connectTimeout` (a Redis that does not answer must not hold
  /// the start or a reconnect for the kernel's TCP timeout).
  private static func open(_ url: RedisURL, loop: EventLoop) async throws(RedisError)
    -> RedisConnection
  {
    let result = await withTaskGroup(of: Result<RedisConnection, RedisError>?.self) { group in
      group.addTask {
        do throws(RedisError) {
          return .success(try await RedisConnection.connect(to: url, loop: loop))
        } catch {
          return .failure(error)
        }
      }
      group.addTask {
        try? await Task.sleep(for: connectTimeout)
        return nil
      }
      let first = await group.next() ?? nil
      group.cancelAll()
      return first
    }
    switch result {
    case .success(let connection)?: return connection
    case .failure(let error)?: throw error
    case nil:
      throw .connectFailed(
        "cannot connect to Redis at \(url.host):\(url.port): no answer within \(connectTimeout)")
    }
  }
}

import Protocol
import Synchronization

/// A Redis connection that comes back by itself: `connect()` makes the first one (the start-up
/// check), `run()` keeps it, reconnecting with `ReconnectBackoff` after a loss until `close()`.
///
/// `send` goes out on the current connection and throws at once while there is none, so a
/// caller never waits on a Redis that is away. Each connection's read loop runs in a task of
/// its own (started by `connect` or `run`), so commands can be sent as soon as `connect()`
/// returns; `run()` waits for that loop to end and then reconnects. Logs one line per state
/// change (lost, still failing, back), never the password.
final class RedisClient: Sendable {
  /// Where Redis is.
  let url: RedisURL
  /// What the connection is for ("commands", "subscriber"), in log lines.
  let role: String
  private let loop: EventLoop
  private let logger: Logger
  /// Seconds a TCP connect plus log-in may take.
  let connectTimeout: Double
  private let state = Mutex(State())

  private struct State {
    var connection: RedisConnection?
    /// The read loop of `connection`.
    var reading: Task<Void, Never>?
    var closed = false
    var reconnectHandlers: [@Sendable () async -> Void] = []
    /// Resumed by `close()` to cut a backoff wait short.
    var wake: CheckedContinuation<Void, Never>?
  }

  init(url: RedisURL, loop: EventLoop, logger: Logger, role: String, connectTimeout: Double = 3) {
    self.url = url
    self.loop = loop
    self.logger = logger
    self.role = role
    self.connectTimeout = connectTimeout
  }

  /// Whether a connection is up right now.
  var isConnected: Bool { state.withLock { $0.connection != nil } }

  /// First connection, for the start-up check: throws the `RedisError` whose message is one
  /// line naming Redis and the reason (never the password).
  func connect() async throws(RedisError) {
    let connection = try await RedisConnection.connect(
      to: url, loop: loop, timeout: connectTimeout)
    guard adopt(connection) else { throw .connectionLost("Redis client (\(role)) is closed") }
  }

  /// Keeps the connection until `close()`: waits for the current one to end, then reconnects
  /// with capped, jittered backoff, calling the `onReconnect` handlers after each success.
  /// Connects first when `connect()` was not called. Returns after `close()`.
  func run() async {
    var backoff = ReconnectBackoff()
    var random = SystemRandomNumberGenerator()
    var failing = false
    var first = !isConnected
    while true {
      let (reading, closed) = state.withLock { ($0.reading, $0.closed) }
      if closed { break }
      if let reading {
        await reading.value
        let wasClosed = state.withLock { state in
          state.connection = nil
          state.reading = nil
          return state.closed
        }
        if wasClosed { break }
        logger.warning(
          "Redis connection lost; reconnecting", ["role": role, "redis": url.description])
        continue
      }
      if case .wait(let until) = backoff.action(now: Clock.monotonicNanoseconds()) {
        await pause(nanoseconds: until - Clock.monotonicNanoseconds())
        continue
      }
      do {
        let connection = try await RedisConnection.connect(
          to: url, loop: loop, timeout: connectTimeout)
        guard adopt(connection) else { break }
        backoff.connected()
        if failing || !first {
          logger.info("Redis connection back", ["role": role, "redis": url.description])
        }
        failing = false
        if !first {
          for handler in state.withLock({ $0.reconnectHandlers }) { await handler() }
        }
        first = false
      } catch {
        let wait = backoff.attemptFailed(now: Clock.monotonicNanoseconds(), using: &random)
        if !failing {
          logger.warning(
            "Redis unreachable; retrying with backoff",
            ["role": role, "error": error.description])
        } else {
          logger.debug(
            "Redis still unreachable",
            ["role": role, "error": error.description, "retry_ms": String(wait / 1_000_000)])
        }
        failing = true
      }
    }
    let reading = state.withLock { $0.reading }
    await reading?.value
  }

  /// Sends `commands` on the current connection; throws at once while disconnected.
  func send(_ commands: [[[UInt8]]]) async throws(RedisError) -> [RESPValue] {
    try await current().send(commands)
  }

  /// Sends `commands` on the current connection; throws at once while disconnected.
  func send(_ commands: [[String]]) async throws(RedisError) -> [RESPValue] {
    try await current().send(commands)
  }

  /// Runs `script` with `EVALSHA`, and with `EVAL` when Redis does not know it (after a
  /// restart or `SCRIPT FLUSH`); the script's error reply comes back as a `.error` value.
  func evaluate(_ script: RedisScript, keys: [[UInt8]], arguments: [[UInt8]])
    async throws(RedisError) -> RESPValue
  {
    try await evaluate(script, calls: [(keys, arguments)])[0]
  }

  /// Runs `script` once per call, pipelined in one write, replies in call order. Calls that
  /// met `NOSCRIPT` run again with `EVAL`, in their order, in one more write.
  func evaluate(_ script: RedisScript, calls: [(keys: [[UInt8]], arguments: [[UInt8]])])
    async throws(RedisError) -> [RESPValue]
  {
    func command(_ name: String, _ body: String, _ call: (keys: [[UInt8]], arguments: [[UInt8]]))
      -> [[UInt8]]
    {
      [Array(name.utf8), Array(body.utf8), Array(String(call.keys.count).utf8)] + call.keys
        + call.arguments
    }
    var replies = try await send(calls.map { command("EVALSHA", script.sha1, $0) })
    let missing = replies.indices.filter { replies[$0].errorMessage?.hasPrefix("NOSCRIPT") == true }
    guard !missing.isEmpty else { return replies }
    let again = try await send(missing.map { command("EVAL", script.source, calls[$0]) })
    for (index, reply) in zip(missing, again) { replies[index] = reply }
    return replies
  }

  /// Called (on the client's task) after every successful reconnect, not the first connect.
  func onReconnect(_ handler: @escaping @Sendable () async -> Void) {
    state.withLock { $0.reconnectHandlers.append(handler) }
  }

  /// Ends the connection and stops reconnecting; `run()` returns.
  func close() {
    let (connection, wake) = state.withLock { state in
      state.closed = true
      defer { state.wake = nil }
      return (state.connection, state.wake)
    }
    connection?.close()
    wake?.resume()
  }

  /// The current connection, or the error for having none.
  private func current() throws(RedisError) -> RedisConnection {
    guard let connection = state.withLock({ $0.connection }) else {
      throw .connectionLost("Redis at \(url.host):\(url.port) is not connected")
    }
    return connection
  }

  /// Makes `connection` current and starts its read loop; false (and closes it) after
  /// `close()`.
  private func adopt(_ connection: RedisConnection) -> Bool {
    let adopted = state.withLock { state -> Bool in
      guard !state.closed else { return false }
      state.connection?.close()
      state.connection = connection
      state.reading = Task { await connection.run() }
      return true
    }
    if !adopted {
      connection.close()
      Task { await connection.run() }
    }
    return adopted
  }

  /// Waits `nanoseconds`, or less when `close()` comes first.
  private func pause(nanoseconds: Int64) async {
    guard nanoseconds > 0 else { return }
    let timer = Mutex<Task<Void, Never>?>(nil)
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let closed = state.withLock { state -> Bool in
        if state.closed { return true }
        state.wake = continuation
        return false
      }
      if closed {
        continuation.resume()
        return
      }
      timer.withLock {
        $0 = Task {
          try? await Task.sleep(nanoseconds: UInt64(nanoseconds))
          let waiter = self.state.withLock { state in
            defer { state.wake = nil }
            return state.wake
          }
          waiter?.resume()
        }
      }
    }
    timer.withLock { $0?.cancel() }
  }
}

extension RedisClient {
  /// Runs each call's script, pipelined in one write, replies in call order; calls that met
  /// `NOSCRIPT` (Redis restarted or flushed its scripts) run again with `EVAL`, in order, in
  /// one more write.
  func evaluate(batch calls: [RedisScriptCall]) async throws(RedisError) -> [RESPValue] {
    func command(_ name: String, _ body: String, _ call: RedisScriptCall) -> [[UInt8]] {
      [Array(name.utf8), Array(body.utf8), Array("0".utf8)] + call.arguments
    }
    var replies = try await send(calls.map { command("EVALSHA", $0.script.sha1, $0) })
    let missing = replies.indices.filter { replies[$0].errorMessage?.hasPrefix("NOSCRIPT") == true }
    guard !missing.isEmpty else { return replies }
    let again = try await send(missing.map { command("EVAL", calls[$0].script.source, calls[$0]) })
    for (index, reply) in zip(missing, again) { replies[index] = reply }
    return replies
  }
}

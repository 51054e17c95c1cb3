import Synchronization

/// Keep-alive connections from this node to the other nodes, lent out one request at a time.
///
/// A forwarded polling GET can be held by its owner for up to the ping interval, so a
/// connection serves one request at a time and the pool grows with the requests in flight,
/// up to `maxPerNode` connections per node. A connection that comes back is kept for
/// `idleExpiry` (shorter than a gateway's own idle keep-alive limit, 30 s by default, so the
/// owner rarely closes one under us); the sweeper closes the ones that stayed idle longer.
final class InternalConnectionPool: DeadlineTarget, Sendable {
  private struct Idle {
    var connection: InternalConnection
    var since: Int64
  }

  private struct State {
    var idle: [String: [Idle]] = [:]
    /// Connections per node, lent out or idle (and ones being opened).
    var open: [String: Int] = [:]
    var sweepScheduled = false
    var closed = false
  }

  private let state = Mutex(State())
  let loop: EventLoop
  let sweeper: DeadlineSweeper
  /// Most connections to one node at once; a request over it fails like an unreachable node.
  let maxPerNode: Int
  /// How long an unused connection is kept, in nanoseconds.
  let idleExpiry: Int64
  /// Bound on opening a connection.
  let connectTimeout: Duration
  /// The outbound queue limit of each connection.
  let outboundLimit: Int

  init(
    loop: EventLoop, sweeper: DeadlineSweeper, maxPerNode: Int = 4096,
    idleExpiry: Duration = .seconds(10), connectTimeout: Duration = .seconds(2),
    outboundLimit: Int
  ) {
    self.loop = loop
    self.sweeper = sweeper
    self.maxPerNode = maxPerNode
    let (seconds, attoseconds) = idleExpiry.components
    self.idleExpiry = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    self.connectTimeout = connectTimeout
    self.outboundLimit = outboundLimit
  }

  /// A connection to `address`: an idle one (most recently used first) that is still open,
  /// or a new one. `reused` says which, for the caller's one retry.
  func checkout(_ address: String) async throws(InternalConnection.Failure) -> (
    InternalConnection, reused: Bool
  ) {
    while var candidate = popIdle(address) {
      if candidate.isStillOpen() { return (candidate, true) }
      discard(candidate)
    }
    let refusal = state.withLock { state -> String? in
      if state.closed { return "shutting down" }
      guard state.open[address, default: 0] < maxPerNode else {
        return "\(maxPerNode) connections to \(address) already in use"
      }
      state.open[address, default: 0] += 1
      return nil
    }
    if let refusal { throw .broken(refusal) }
    do {
      let connection = try await InternalConnection.open(
        address: address, loop: loop, sweeper: sweeper, outboundLimit: outboundLimit,
        timeout: connectTimeout)
      return (connection, false)
    } catch {
      release(address)
      throw error
    }
  }

  /// Takes back a connection after its answer was read; one that cannot carry another request
  /// is closed.
  func checkin(_ connection: InternalConnection) {
    guard connection.isReusable else { return discard(connection) }
    let now = Clock.monotonicNanoseconds()
    let (kept, schedule) = state.withLock { state -> (Bool, Bool) in
      guard !state.closed else { return (false, false) }
      state.idle[connection.address, default: []].append(Idle(connection: connection, since: now))
      defer { state.sweepScheduled = true }
      return (true, !state.sweepScheduled)
    }
    guard kept else { return discard(connection) }
    if schedule { sweeper.schedule(self, at: now + idleExpiry) }
  }

  /// Closes a connection that is not coming back.
  func discard(_ connection: InternalConnection) {
    connection.close()
    release(connection.address)
  }

  /// Connections to `address` open now (lent out or idle).
  func openCount(_ address: String) -> Int {
    state.withLock { $0.open[address, default: 0] }
  }

  /// Closes every idle connection and stops keeping any (at shutdown).
  func close() {
    let idle = state.withLock { state -> [InternalConnection] in
      state.closed = true
      defer { state.idle.removeAll() }
      return state.idle.values.flatMap { $0.map(\.connection) }
    }
    for connection in idle { discard(connection) }
  }

  func deadlineReached(now: Int64) async -> Int64? {
    let (expired, next) = state.withLock { state -> ([InternalConnection], Int64?) in
      var expired: [InternalConnection] = []
      var oldest: Int64?
      for (address, entries) in state.idle {
        let keep = entries.filter { now - $0.since < idleExpiry }
        expired += entries.filter { now - $0.since >= idleExpiry }.map(\.connection)
        state.idle[address] = keep.isEmpty ? nil : keep
        if let first = keep.first?.since { oldest = min(oldest ?? first, first) }
      }
      state.sweepScheduled = oldest != nil
      return (expired, oldest.map { $0 + idleExpiry })
    }
    for connection in expired { discard(connection) }
    return next
  }

  private func popIdle(_ address: String) -> InternalConnection? {
    state.withLock { state in
      guard var entries = state.idle[address], let last = entries.popLast() else { return nil }
      state.idle[address] = entries.isEmpty ? nil : entries
      return last.connection
    }
  }

  private func release(_ address: String) {
    state.withLock { state in
      let count = state.open[address, default: 0] - 1
      state.open[address] = count > 0 ? count : nil
    }
  }
}

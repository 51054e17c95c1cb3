/// When to try Redis again after a failed connection: capped exponential backoff with
/// jitter, as a value-type state machine.
///
/// It takes the time (monotonic nanoseconds, `Clock.monotonicNanoseconds()`) and the random
/// source as parameters and says what to do; the connection's owner carries it out. The
/// n-th consecutive failure waits a random time in `[c/2, c]` where
/// `c = min(initialDelay * 2^(n-1), maximumDelay)` ("equal jitter"): the wait always grows
/// with the failures, and nodes that lost Redis together do not come back in step.
struct ReconnectBackoff: Sendable, Equatable {
  /// What `action(now:)` asks for.
  enum Action: Sendable, Equatable {
    /// Try to connect now.
    case connect
    /// Wait until this monotonic time, then ask again.
    case wait(until: Int64)
  }

  /// Upper bound of the first wait: 100 ms, short enough that a Redis restart (about a
  /// second) costs a few attempts, long enough not to spin on a refused port.
  let initialDelay: Int64
  /// Upper bound of any wait: 10 s, so a node notices a recovered Redis within one
  /// node-registry TTL (`GATEWAY_NODE_TTL_MS` defaults to 10 000).
  let maximumDelay: Int64
  /// Consecutive failed attempts since the last successful connection.
  private(set) var failures = 0
  /// When the next attempt is due; nil while connected or before the first failure.
  private(set) var retryAt: Int64?

  /// A backoff with the given bounds, in nanoseconds (defaults documented on the properties).
  init(initialDelay: Int64 = 100_000_000, maximumDelay: Int64 = 10_000_000_000) {
    precondition(initialDelay > 0 && maximumDelay >= initialDelay, "bad backoff bounds")
    self.initialDelay = initialDelay
    self.maximumDelay = maximumDelay
  }

  /// Whether to connect at `now` or how long to wait first.
  func action(now: Int64) -> Action {
    if let retryAt, now < retryAt { return .wait(until: retryAt) }
    return .connect
  }

  /// Records a failed attempt at `now`; returns the wait chosen (nanoseconds) before the
  /// next one.
  mutating func attemptFailed(now: Int64, using random: inout some RandomNumberGenerator)
    -> Int64
  {
    failures += 1
    let ceiling = self.ceiling(afterFailures: failures)
    let floor = ceiling / 2
    // The next 64 random bits scaled onto 0...span (the high word of span+1 times them): no
    // rejection loop, so a fixed source gives exact waits in tests (0 the shortest, all ones
    // the longest).
    let span = UInt64(ceiling - floor)
    let delay = floor + Int64((span + 1).multipliedFullWidth(by: random.next()).high)
    retryAt = now + delay
    return delay
  }

  /// Records a successful connection: the next failure starts from `initialDelay` again.
  mutating func connected() {
    failures = 0
    retryAt = nil
  }

  /// `min(initialDelay * 2^(failures-1), maximumDelay)`, without overflowing.
  func ceiling(afterFailures failures: Int) -> Int64 {
    var ceiling = initialDelay
    for _ in 1..<max(failures, 1) {
      guard ceiling < maximumDelay / 2 else { return maximumDelay }
      ceiling *= 2
    }
    return min(ceiling, maximumDelay)
  }
}

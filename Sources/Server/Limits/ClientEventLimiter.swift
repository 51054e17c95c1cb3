/// One socket's event budget (`GATEWAY_CLIENT_EVENTS_PER_S`, `_BURST`): a token bucket, and
/// how long the socket has been over it. A stretch over the budget lasts while drops keep
/// coming less than a second apart (the events the refilling bucket lets through in between
/// do not end it: a flood at 20× the budget still gets one in twenty through). A value; the
/// session actor keeps it.
struct ClientEventLimiter: Sendable {
  /// What to do with one event.
  enum Verdict: Sendable, Equatable {
    case allow
    /// Drop it; `notify` the first time in a row (`error` `Rate limit exceeded`).
    case drop(notify: Bool)
    /// Over the budget for `closeAfter`: end the socket.
    case close
  }

  /// How long a socket may stay over its budget before it is closed.
  static let closeAfter: Int64 = 10_000_000_000
  /// A second without a drop ends a stretch over the budget.
  static let calmAfter: Int64 = 1_000_000_000

  private var bucket: TokenBucket
  private var overSince: Int64?
  private var lastDropAt: Int64 = 0

  init(burst: Int, now: Int64) {
    bucket = TokenBucket(burst: burst, now: now)
  }

  /// Judges one event at `now` (monotonic nanoseconds).
  mutating func admit(rate: Int, burst: Int, now: Int64) -> Verdict {
    if bucket.take(rate: rate, burst: burst, now: now) { return .allow }
    defer { lastDropAt = now }
    guard let since = overSince, now - lastDropAt < Self.calmAfter else {
      overSince = now
      return .drop(notify: true)
    }
    return now - since >= Self.closeAfter ? .close : .drop(notify: false)
  }
}

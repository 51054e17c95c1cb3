/// The deadlines of one Engine.IO session as a value-type state machine: heartbeat (server
/// pings, client pongs), the time allowed to join a namespace, the upgrade window, and the
/// socket's token: a warning before it expires, and its expiry.
///
/// It takes the time as a parameter and returns what to do; the session actor carries the
/// actions out. Times are monotonic nanoseconds.
struct SessionTimers: Sendable, Equatable {
  /// Why the session must end.
  enum Expiry: Sendable, Equatable {
    case pingTimeout
    case connectTimeout
    case tokenExpired
  }

  /// What `tick` asks for.
  enum Action: Sendable, Equatable {
    case sendPing
    case close(Expiry)
    case abortUpgrade
    /// The token expires within the refresh window: tell the client (`tokenExpiring`).
    case warnTokenExpiry(expiresAt: Int64)
  }

  let pingInterval: Int64
  let pingTimeout: Int64
  private(set) var nextPingAt: Int64
  private(set) var pongDeadline: Int64?
  private(set) var connectDeadline: Int64?
  private(set) var upgradeDeadline: Int64?
  /// When the socket's token expires; nil for a token without `exp`.
  private(set) var tokenExpiresAt: Int64?
  /// When to warn about it; nil once warned.
  private(set) var tokenWarnAt: Int64?

  /// Timers for a session opened at `now`: first ping one interval later.
  init(now: Int64, pingInterval: Int64, pingTimeout: Int64, connectTimeout: Int64?) {
    self.pingInterval = pingInterval
    self.pingTimeout = pingTimeout
    nextPingAt = now + pingInterval
    connectDeadline = connectTimeout.map { now + $0 }
  }

  /// The earliest moment anything is due.
  var nextDeadline: Int64 {
    var deadline = pongDeadline ?? nextPingAt
    if let connectDeadline { deadline = min(deadline, connectDeadline) }
    if let upgradeDeadline { deadline = min(deadline, upgradeDeadline) }
    if let tokenDeadline = tokenWarnAt ?? tokenExpiresAt { deadline = min(deadline, tokenDeadline) }
    return deadline
  }

  /// Everything due at `now`, in the order to carry it out.
  mutating func tick(now: Int64) -> [Action] {
    if let pongDeadline, now >= pongDeadline { return [.close(.pingTimeout)] }
    if let connectDeadline, now >= connectDeadline { return [.close(.connectTimeout)] }
    if let tokenExpiresAt, now >= tokenExpiresAt { return [.close(.tokenExpired)] }
    var actions: [Action] = []
    if let tokenWarnAt, let tokenExpiresAt, now >= tokenWarnAt {
      self.tokenWarnAt = nil
      actions.append(.warnTokenExpiry(expiresAt: tokenExpiresAt))
    }
    if let upgradeDeadline, now >= upgradeDeadline {
      self.upgradeDeadline = nil
      actions.append(.abortUpgrade)
    }
    if pongDeadline == nil, now >= nextPingAt {
      pongDeadline = now + pingTimeout
      actions.append(.sendPing)
    }
    return actions
  }

  /// A pong arrived: the next ping is one interval from now (protocol.md §1.7).
  mutating func pongReceived(now: Int64) {
    guard pongDeadline != nil else { return }
    pongDeadline = nil
    nextPingAt = now + pingInterval
  }

  /// The session joined a namespace: the connect timeout no longer applies.
  mutating func namespaceJoined() {
    connectDeadline = nil
  }

  /// A probe WebSocket attached at `now`; it has `timeout` to send `5`.
  mutating func upgradeStarted(now: Int64, timeout: Int64) {
    upgradeDeadline = now + timeout
  }

  /// The socket's token expires at `expiresAt` (nil: never); the client is warned `window`
  /// before. A refreshed token calls this again.
  mutating func tokenAccepted(expiresAt: Int64?, window: Int64, now: Int64) {
    tokenExpiresAt = expiresAt
    tokenWarnAt = expiresAt.map { max(now, $0 - window) }
  }

  /// The upgrade finished or was abandoned.
  mutating func upgradeEnded() {
    upgradeDeadline = nil
  }
}

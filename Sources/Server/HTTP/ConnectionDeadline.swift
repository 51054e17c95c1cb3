import Synchronization

/// The one timeout an HTTP connection has at a time: the idle keep-alive limit between
/// requests, or the limit for receiving a whole request once it started (slow-loris).
///
/// Moving the deadline later costs no sweeper work: the sweeper entry stays where it is and,
/// when it fires early, this target simply answers with the new time.
final class ConnectionDeadline: DeadlineTarget, Sendable {
  private struct State {
    var deadline: Int64?
    var scheduledAt: Int64?
    var midRequest = false
  }

  private let state = Mutex(State())
  private let sweeper: DeadlineSweeper
  private let onExpiry: @Sendable (_ midRequest: Bool) -> Void

  /// A deadline for one connection; `onExpiry` runs (on the sweeper) when it passes.
  init(sweeper: DeadlineSweeper, onExpiry: @escaping @Sendable (_ midRequest: Bool) -> Void) {
    self.sweeper = sweeper
    self.onExpiry = onExpiry
  }

  /// Sets the deadline to `deadline` (monotonic ns); `midRequest` says which limit it is.
  func arm(at deadline: Int64, midRequest: Bool) {
    let schedule = state.withLock { state -> Bool in
      state.deadline = deadline
      state.midRequest = midRequest
      if let scheduled = state.scheduledAt, scheduled <= deadline { return false }
      state.scheduledAt = deadline
      return true
    }
    if schedule { sweeper.schedule(self, at: deadline) }
  }

  /// Whether a deadline is armed (the request-start deadline is not moved by later reads).
  var isArmedMidRequest: Bool { state.withLock { $0.deadline != nil && $0.midRequest } }

  /// No deadline until the next `arm` (long-polls and WebSockets have their own limits).
  func disarm() {
    state.withLock { $0.deadline = nil }
  }

  func deadlineReached(now: Int64) async -> Int64? {
    let (expired, midRequest, next) = state.withLock { state -> (Bool, Bool, Int64?) in
      state.scheduledAt = nil
      guard let deadline = state.deadline else { return (false, false, nil) }
      if now >= deadline {
        state.deadline = nil
        return (true, state.midRequest, nil)
      }
      state.scheduledAt = deadline
      return (false, false, deadline)
    }
    if expired { onExpiry(midRequest) }
    return next
  }
}

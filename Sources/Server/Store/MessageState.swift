/// Where one recipient's copy of a message stands. States only move forward.
enum MessageState: Int64, Sendable, Comparable {
  /// Stored; no live socket of the user got it yet.
  case queued = 0
  /// Written to at least one live socket of the user.
  case sent = 1
  /// A socket of the user reported it (`delivered`).
  case delivered = 2
  /// A socket of the user reported it read (`read`).
  case read = 3
  /// Retention ran out before it was delivered.
  case expired = 4
  /// Replaced while queued by a newer message with the same `collapseKey`; hidden from
  /// every answer, kept only so the log's sequence has no hole.
  case collapsed = 5

  static func < (lhs: MessageState, rhs: MessageState) -> Bool { lhs.rawValue < rhs.rawValue }

  /// The name in REST answers.
  var name: String {
    switch self {
    case .queued: "queued"
    case .sent: "sent"
    case .delivered: "delivered"
    case .read: "read"
    case .expired: "expired"
    case .collapsed: "collapsed"
    }
  }

  /// The state as answered at `now`: a copy past its expiry that was never delivered shows
  /// `expired` even before the retention sweep marks it.
  static func visible(stored: Int64, expiresAt: Int64, now: Int64) -> MessageState {
    let state = MessageState(rawValue: stored) ?? .queued
    if state <= .sent, expiresAt <= now { return .expired }
    return state
  }
}

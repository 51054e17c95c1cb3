/// Debounced presence of every user, as a value: raw transitions in, published transitions
/// out once they have held for the grace period. Time is a parameter; the sweeper ticks it.
struct PresenceState: Sendable {
  /// One published change.
  struct Transition: Sendable, Equatable {
    var userID: String
    var online: Bool
    /// Unix milliseconds when the user went offline (for an offline transition).
    var lastSeen: Int64?
  }

  private struct User {
    var online = false
    var published = false
    /// When the raw state last changed (unix ms, for `lastSeen`).
    var offlineAt: Int64?
    var lastSeen: Int64?
    /// Monotonic deadline of a pending publication.
    var due: Int64?
  }

  /// Most users remembered for `lastSeen` (the oldest offline ones are forgotten first):
  /// about 150 bytes each, so 200,000 hold ~30 MB at most.
  static let maxRemembered = 200_000

  private var users: [String: User] = [:]
  /// Users with a publication pending: a tick looks at these only.
  private var pending: Set<String> = []
  let grace: Int64

  init(graceNanoseconds: Int64) {
    grace = graceNanoseconds
  }

  /// The user's socket count went from 0 to 1 (`online`) or 1 to 0; returns the deadline
  /// at which to tick, if a publication became pending.
  mutating func changed(_ userID: String, online: Bool, now: Int64, wallClock: Int64) -> Int64? {
    var user = users[userID] ?? User()
    user.online = online
    if !online { user.offlineAt = wallClock }
    if user.online == user.published {
      user.due = nil  // back before the grace ran out: nobody sees the flap
      pending.remove(userID)
      if !user.online, user.lastSeen == nil {
        // Came and went inside the grace, never published: nothing to remember.
        users[userID] = nil
        return nil
      }
    } else if user.due == nil {
      user.due = now + grace
      pending.insert(userID)
    }
    users[userID] = user
    return user.due
  }

  /// Publishes every change whose grace has passed; returns them and the next deadline.
  mutating func tick(now: Int64) -> (transitions: [Transition], next: Int64?) {
    var transitions: [Transition] = []
    var next: Int64?
    for userID in pending {
      guard var user = users[userID], let due = user.due else { continue }
      guard due <= now else {
        next = min(next ?? due, due)
        continue
      }
      user.due = nil
      pending.remove(userID)
      if user.online != user.published {
        user.published = user.online
        if !user.online { user.lastSeen = user.offlineAt }
        transitions.append(
          Transition(
            userID: userID, online: user.online, lastSeen: user.online ? nil : user.lastSeen))
      }
      users[userID] = user
    }
    if users.count > Self.maxRemembered { forgetOldest() }
    return (transitions, next)
  }

  /// Users remembered, and those with a publication pending (for tests and stats).
  var counts: (remembered: Int, pending: Int) { (users.count, pending.count) }

  /// The published state: online, and when the user last went offline (nil while online or
  /// never seen).
  func presence(of userID: String) -> (online: Bool, lastSeen: Int64?) {
    guard let user = users[userID] else { return (false, nil) }
    return (user.published, user.published ? nil : user.lastSeen)
  }

  private mutating func forgetOldest() {
    let offline = users.filter { !$0.value.online && !$0.value.published && $0.value.due == nil }
    for (userID, _) in offline.sorted(by: { ($0.value.lastSeen ?? 0) < ($1.value.lastSeen ?? 0) })
      .prefix(users.count - Self.maxRemembered)
    {
      users[userID] = nil
    }
  }
}

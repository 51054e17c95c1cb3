/// userId → that user's live Socket.IO sockets (tabs, devices), for the whole node.
///
/// Methods never await: they return `Sendable` handles (`SocketTarget`) and callers enqueue
/// frames into those outside the actor, so the registry is held for microseconds per send.
/// The user is connected while any socket remains. Users are listed in the order they
/// first connected, like a JavaScript `Map`.
///
/// A cluster mode keeps this shape: a second node's registry answers the same questions for
/// its own sockets, and a router above both fans a send out to them.
actor RegistryActor {
  private struct UserEntry {
    var sequence: UInt64
    var sockets: UserSockets
  }

  private var users: [String: UserEntry] = [:]
  private var sequence: UInt64 = 0
  private var socketCount = 0

  /// Adds `target` under its user; a no-op if that socket id is already registered.
  func register(_ target: SocketTarget) {
    guard users[target.userID] != nil else {
      sequence += 1
      users[target.userID] = UserEntry(sequence: sequence, sockets: .one(target))
      socketCount += 1
      return
    }
    if users[target.userID]?.sockets.insert(target) == true {
      socketCount += 1
    }
  }

  /// Removes one socket; true if it was registered (so callers log a disconnect exactly once).
  @discardableResult
  func unregister(userID: String, socketID: String) -> Bool {
    guard users[userID]?.sockets.remove(socketID) == true else { return false }
    socketCount -= 1
    if users[userID]?.sockets.isEmpty == true { users[userID] = nil }
    return true
  }

  /// The sockets of one user (empty when not connected).
  func targets(for userID: String) -> [SocketTarget] {
    guard let entry = users[userID] else { return [] }
    return entry.sockets.all
  }

  /// The sockets of several users, each user once, with how many of them were connected.
  func targets(for userIDs: [String]) -> (targets: [SocketTarget], connectedUsers: Int) {
    var seen = Set<String>()
    var targets: [SocketTarget] = []
    var connected = 0
    for userID in userIDs where seen.insert(userID).inserted {
      guard let entry = users[userID] else { continue }
      connected += 1
      entry.sockets.append(to: &targets)
    }
    return (targets, connected)
  }

  /// Whether the user has at least one socket.
  func isConnected(_ userID: String) -> Bool {
    users[userID] != nil
  }

  /// Connected user ids in first-connection order, and the number of sockets.
  func snapshot() -> (userIDs: [String], connections: Int) {
    let ordered = users.sorted { $0.value.sequence < $1.value.sequence }.map(\.key)
    return (ordered, socketCount)
  }

  /// Connected users and sockets, without listing them (for `/metrics`).
  func counts() -> (users: Int, sockets: Int) {
    (users.count, socketCount)
  }

  /// Every socket (for graceful shutdown).
  func allTargets() -> [SocketTarget] {
    users.values.flatMap { $0.sockets.all }
  }
}

/// One registered socket: who it belongs to, and where its frames go.
struct SocketTarget: Sendable {
  /// The user id from the socket's token.
  var userID: String
  /// The Socket.IO socket id (`socket.id` on the client).
  var socketID: String
  /// Enqueue frames here (no actor hop).
  var outbox: SessionOutbox
  /// The session, to close it when its outbox overflows.
  var connection: ConnectionActor
  /// When the socket authenticated, in Unix milliseconds (the dashboard's "connected since").
  var connectedAt: Int64 = 0
}

/// The sockets of one user. Most users have one, held inline: a dictionary per user would
/// cost ~200 bytes of every idle connection. Mutated in place through the registry's
/// dictionary, so a user with many sockets never copies them.
enum UserSockets: Sendable {
  case one(SocketTarget)
  case many([String: SocketTarget])

  /// No socket left (only after `remove`; the registry then drops the user).
  var isEmpty: Bool {
    if case .many(let targets) = self { return targets.isEmpty }
    return false
  }

  var all: [SocketTarget] {
    switch self {
    case .one(let target): [target]
    case .many(let targets): Array(targets.values)
    }
  }

  func append(to targets: inout [SocketTarget]) {
    switch self {
    case .one(let target): targets.append(target)
    case .many(let all): targets.append(contentsOf: all.values)
    }
  }

  /// Adds `target`; false if its socket id is already there.
  mutating func insert(_ target: SocketTarget) -> Bool {
    switch self {
    case .one(let existing):
      guard existing.socketID != target.socketID else { return false }
      self = .many([existing.socketID: existing, target.socketID: target])
      return true
    case .many(var targets):
      guard targets[target.socketID] == nil else { return false }
      self = .many([:])  // drop this reference so `targets` is unique and grows in place
      targets[target.socketID] = target
      self = .many(targets)
      return true
    }
  }

  /// Removes the socket `socketID`; false if it was not there.
  mutating func remove(_ socketID: String) -> Bool {
    switch self {
    case .one(let target):
      guard target.socketID == socketID else { return false }
      self = .many([:])
      return true
    case .many(var targets):
      self = .many([:])  // as in `insert`
      let removed = targets.removeValue(forKey: socketID) != nil
      if targets.count == 1, let last = targets.values.first {
        self = .one(last)
      } else {
        self = .many(targets)
      }
      return removed
    }
  }
}

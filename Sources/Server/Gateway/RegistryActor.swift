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
    var sockets: [String: SocketTarget]
  }

  private var users: [String: UserEntry] = [:]
  private var sequence: UInt64 = 0
  private var socketCount = 0

  /// Adds `target` under its user; a no-op if that socket id is already registered.
  func register(_ target: SocketTarget) {
    if users[target.userID] == nil {
      sequence += 1
      users[target.userID] = UserEntry(sequence: sequence, sockets: [:])
    }
    if users[target.userID]?.sockets.updateValue(target, forKey: target.socketID) == nil {
      socketCount += 1
    }
  }

  /// Removes one socket; true if it was registered (so callers log a disconnect exactly once).
  @discardableResult
  func unregister(userID: String, socketID: String) -> Bool {
    guard users[userID]?.sockets.removeValue(forKey: socketID) != nil else { return false }
    socketCount -= 1
    if users[userID]?.sockets.isEmpty == true { users[userID] = nil }
    return true
  }

  /// The sockets of one user (empty when not connected).
  func targets(for userID: String) -> [SocketTarget] {
    guard let entry = users[userID] else { return [] }
    return Array(entry.sockets.values)
  }

  /// The sockets of several users, each user once, with how many of them were connected.
  func targets(for userIDs: [String]) -> (targets: [SocketTarget], connectedUsers: Int) {
    var seen = Set<String>()
    var targets: [SocketTarget] = []
    var connected = 0
    for userID in userIDs where seen.insert(userID).inserted {
      guard let entry = users[userID] else { continue }
      connected += 1
      targets.append(contentsOf: entry.sockets.values)
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

  /// Every socket (for graceful shutdown).
  func allTargets() -> [SocketTarget] {
    users.values.flatMap { $0.sockets.values }
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
}

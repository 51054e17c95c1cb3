import Synchronization

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
  /// Told when a user's first socket registers or last one leaves, inside the actor, so
  /// transitions arrive in the order they happened (presence debounces them).
  private let transitions: UserTransitions
  /// Most sockets one user may have (`GATEWAY_MAX_SOCKETS_PER_USER`).
  private let maxSocketsPerUser: Int
  /// Cluster mode: told every user's new socket count, inside the actor (so in order).
  private let routes: UserRoutes?

  init(
    transitions: UserTransitions = UserTransitions(), maxSocketsPerUser: Int = .max,
    routes: UserRoutes? = nil
  ) {
    self.transitions = transitions
    self.maxSocketsPerUser = maxSocketsPerUser
    self.routes = routes
  }

  /// What `register` did.
  enum Registration: Sendable, Equatable {
    /// Registered; true for the user's first socket.
    case registered(firstSocket: Bool)
    /// The user already has the most sockets allowed.
    case refused
  }

  /// Adds `target` under its user; a socket id already registered is taken over by the new
  /// connection (recovery), without counting it twice.
  @discardableResult
  func register(_ target: SocketTarget) -> Registration {
    guard let entry = users[target.userID] else {
      sequence += 1
      users[target.userID] = UserEntry(sequence: sequence, sockets: .one(target))
      socketCount += 1
      transitions.changed(target.userID, online: true)
      routes?.changed(target.userID, sockets: 1)
      return .registered(firstSocket: true)
    }
    if entry.sockets.count >= maxSocketsPerUser, !entry.sockets.contains(target.socketID) {
      return .refused
    }
    if users[target.userID]?.sockets.insert(target) == true {
      socketCount += 1
      routes?.changed(target.userID, sockets: users[target.userID]?.sockets.count ?? 0)
    }
    return .registered(firstSocket: false)
  }

  /// Removes one socket if `connection` registered it; true if it was registered (so
  /// callers log a disconnect exactly once). A recovered socket keeps its id on a new
  /// connection, so the old connection's late unregister must not remove the new one.
  @discardableResult
  func unregister(userID: String, socketID: String, connection: ConnectionActor) -> Bool {
    guard users[userID]?.sockets.remove(socketID, owner: ObjectIdentifier(connection)) == true
    else { return false }
    socketCount -= 1
    if users[userID]?.sockets.isEmpty == true {
      users[userID] = nil
      transitions.changed(userID, online: false)
    }
    routes?.changed(userID, sockets: users[userID]?.sockets.count ?? 0)
    return true
  }

  /// The sockets of one user (empty when not connected).
  func targets(for userID: String) -> [SocketTarget] {
    guard let entry = users[userID] else { return [] }
    return entry.sockets.all
  }

  /// The sockets of each listed user, in the order given (an empty list for one offline).
  func targets(forEach userIDs: [String]) -> [[SocketTarget]] {
    userIDs.map { users[$0]?.sockets.all ?? [] }
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

  /// Every connected user with its socket count (cluster mode rewrites its routes from it).
  func socketCounts() -> [(userID: String, count: Int)] {
    users.map { ($0.key, $0.value.sockets.count) }
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
  /// Pushes go through here: it holds them back while the socket replays, and keeps a
  /// user's persisted messages in offset order, each once.
  var cursor: DeliveryCursor
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

  /// How many sockets.
  var count: Int {
    switch self {
    case .one: 1
    case .many(let targets): targets.count
    }
  }

  /// Whether a socket with this id is there.
  func contains(_ socketID: String) -> Bool {
    switch self {
    case .one(let target): target.socketID == socketID
    case .many(let targets): targets[socketID] != nil
    }
  }

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

  /// Adds `target`; false if its socket id was already there (then it is replaced).
  mutating func insert(_ target: SocketTarget) -> Bool {
    switch self {
    case .one(let existing):
      guard existing.socketID != target.socketID else {
        self = .one(target)  // a recovered socket on its new connection
        return false
      }
      self = .many([existing.socketID: existing, target.socketID: target])
      return true
    case .many(var targets):
      self = .many([:])  // drop this reference so `targets` is unique and grows in place
      let added = targets.updateValue(target, forKey: target.socketID) == nil
      self = .many(targets)
      return added
    }
  }

  /// Removes the socket `socketID` registered by `owner`; false if it was not there.
  mutating func remove(_ socketID: String, owner: ObjectIdentifier) -> Bool {
    switch self {
    case .one(let target):
      guard target.socketID == socketID, ObjectIdentifier(target.connection) == owner else {
        return false
      }
      self = .many([:])
      return true
    case .many(var targets):
      self = .many([:])  // as in `insert`
      var removed = false
      if let target = targets[socketID], ObjectIdentifier(target.connection) == owner {
        targets[socketID] = nil
        removed = true
      }
      if targets.count == 1, let last = targets.values.first {
        self = .one(last)
      } else {
        self = .many(targets)
      }
      return removed
    }
  }
}

/// Where the registry reports users coming online and going offline; set once at start
/// (presence needs the registry to publish, so it is wired after both exist). Presence is
/// held weakly: it holds the registry, and a strong reference back would keep a stopped
/// gateway's whole context alive.
final class UserTransitions: Sendable {
  private struct Receiver: Sendable {
    weak var presence: Presence?
  }

  private let receiver = Mutex(Receiver())

  /// Sets the receiver of every later transition.
  func connect(_ presence: Presence) {
    receiver.withLock { $0.presence = presence }
  }

  func changed(_ userID: String, online: Bool) {
    guard let presence = receiver.withLock({ $0.presence }) else { return }
    presence.changed(userID, online: online)
  }
}

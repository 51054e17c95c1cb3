import Synchronization

/// Live Engine.IO sessions by id, for routing polling requests and upgrades.
final class SessionTable: Sendable {
  private let sessions = Mutex<[String: ConnectionActor]>([:])

  /// The session with id `sid`, if it is live.
  subscript(sid: String) -> ConnectionActor? {
    sessions.withLock { $0[sid] }
  }

  /// Adds a new session.
  func insert(_ session: ConnectionActor) {
    sessions.withLock { $0[session.sid] = session }
  }

  /// Forgets a session; later requests with its id get `Session ID unknown`.
  func remove(sid: String) {
    _ = sessions.withLock { $0.removeValue(forKey: sid) }
  }

  /// Number of live sessions.
  var count: Int { sessions.withLock { $0.count } }

  /// Every live session (for shutdown).
  var all: [ConnectionActor] { sessions.withLock { Array($0.values) } }
}

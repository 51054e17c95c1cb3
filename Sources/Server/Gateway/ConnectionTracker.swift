import Synchronization

/// Every open TCP connection, and whether it is in the middle of a request, so a drain can
/// close the idle ones at once and the rest when they finish or the deadline passes.
final class ConnectionTracker: Sendable {
  private struct Entry {
    var channel: SocketChannel
    var busy: Bool
  }

  private let entries = Mutex<[ObjectIdentifier: Entry]>([:])

  /// Number of open connections.
  var count: Int { entries.withLock { $0.count } }

  func add(_ channel: SocketChannel) {
    entries.withLock { $0[ObjectIdentifier(channel)] = Entry(channel: channel, busy: false) }
  }

  func remove(_ channel: SocketChannel) {
    let isEmpty = entries.withLock { entries in
      entries.removeValue(forKey: ObjectIdentifier(channel))
      return entries.isEmpty
    }
    if isEmpty { IdleMemory.release() }
  }

  /// Marks a connection busy (a request is being received or served) or idle.
  func setBusy(_ channel: SocketChannel, _ busy: Bool) {
    entries.withLock { $0[ObjectIdentifier(channel)]?.busy = busy }
  }

  /// Shuts down idle connections (or all of them); returns how many.
  @discardableResult
  func shutdown(includingBusy: Bool) -> Int {
    let channels = entries.withLock { entries in
      entries.values.filter { includingBusy || !$0.busy }.map(\.channel)
    }
    for channel in channels { channel.shutdown() }
    return channels.count
  }
}

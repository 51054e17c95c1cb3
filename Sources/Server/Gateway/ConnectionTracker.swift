import Synchronization

/// Every open TCP connection, and whether it is in the middle of a request, so a drain can
/// close the idle ones at once and the rest when they finish or the deadline passes.
final class ConnectionTracker: Sendable {
  private let entries = Mutex<[ObjectIdentifier: SocketChannel]>([:])

  /// Number of open connections.
  var count: Int { entries.withLock { $0.count } }

  func add(_ channel: SocketChannel) {
    entries.withLock { $0[ObjectIdentifier(channel)] = channel }
  }

  func remove(_ channel: SocketChannel) {
    let isEmpty = entries.withLock { entries in
      entries.removeValue(forKey: ObjectIdentifier(channel))
      return entries.isEmpty
    }
    if isEmpty { IdleMemory.release() }
  }

  /// Marks a connection busy (a request is being received or served) or idle. The mark lives
  /// on the channel, so this takes no lock: HTTP marks every request twice or more, and an
  /// in-place dictionary update under the lock cost two mallocs each (perf uprobes).
  func setBusy(_ channel: SocketChannel, _ busy: Bool) {
    channel.isBusy = busy
  }

  /// Shuts down idle connections (or all of them); returns how many.
  @discardableResult
  func shutdown(includingBusy: Bool) -> Int {
    let channels = entries.withLock { entries in
      entries.values.filter { includingBusy || !$0.isBusy }
    }
    for channel in channels { channel.shutdown() }
    return channels.count
  }
}

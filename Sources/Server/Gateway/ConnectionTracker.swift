import Synchronization

/// Every open TCP connection, and whether it is in the middle of a request, so a drain can
/// close the idle ones at once and the rest when they finish or the deadline passes.
final class ConnectionTracker: Sendable {
  private let entries = Mutex<[ObjectIdentifier: SocketChannel]>([:])
  /// Open connections per source address, kept only when `GATEWAY_MAX_CONNECTIONS_PER_IP`
  /// is set.
  private let perAddress = Mutex<[String: Int]>([:])

  /// Number of open connections.
  var count: Int { entries.withLock { $0.count } }

  func add(_ channel: SocketChannel) {
    entries.withLock { $0[ObjectIdentifier(channel)] = channel }
  }

  func remove(_ channel: SocketChannel) {
    let (removed, isEmpty) = entries.withLock { entries in
      (entries.removeValue(forKey: ObjectIdentifier(channel)) != nil, entries.isEmpty)
    }
    if removed, channel.countedAddress { release(peer: channel.peer) }
    if isEmpty { IdleMemory.release() }
  }

  /// Counts a connection from `peer` against `limit`; false (nothing counted) when that
  /// address already has `limit` open.
  func admit(peer: String, limit: Int) -> Bool {
    let address = Self.address(of: peer)
    return perAddress.withLock { counts in
      guard counts[address, default: 0] < limit else { return false }
      counts[address, default: 0] += 1
      return true
    }
  }

  /// Gives back a count taken by `admit`.
  func release(peer: String) {
    let address = Self.address(of: peer)
    perAddress.withLock { counts in
      counts[address, default: 1] -= 1
      if counts[address] ?? 0 <= 0 { counts[address] = nil }
    }
  }

  /// The address of a `host:port` peer (`[v6]:port` keeps its brackets).
  static func address(of peer: String) -> String {
    guard let colon = peer.lastIndex(of: ":") else { return peer }
    return String(peer[..<colon])
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

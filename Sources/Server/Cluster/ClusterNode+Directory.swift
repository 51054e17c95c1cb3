import Synchronization

extension ClusterNode: NodeDirectory {
  /// A live node's internal address from its registration (`P node:<id>`), remembered for a
  /// second so a burst of polls costs one lookup; nil when the node is gone or Redis is away.
  func address(ofNode id: String) async -> String? {
    let now = Clock.monotonicNanoseconds()
    if let cached = addresses.withLock({ $0[id] }), cached.until > now { return cached.address }
    guard let reply = try? await client.send([["GET", keys.node(id)]]),
      let address = reply.first?.string
    else {
      addresses.withLock { $0[id] = nil }
      return nil
    }
    addresses.withLock { cache in
      if cache.count >= 1024 { cache.removeAll() }
      cache[id] = (address, now + 1_000_000_000)
    }
    return address
  }
}

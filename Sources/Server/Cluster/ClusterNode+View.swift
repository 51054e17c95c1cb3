import Protocol

/// The REST API's cluster-wide answers (`status`, `connected`, `stats`, presence): this
/// node's registry plus what the other live nodes list in Redis. With Redis away they cover
/// this node only (the node still serves its sockets; `/healthz` says `degraded`).
extension ClusterNode {
  /// Whether a live node other than this one holds a socket of `userID`; nil when Redis
  /// cannot be asked.
  func isConnectedElsewhere(_ userID: String) async -> Bool? {
    guard let reply = try? await client.send([["HGETALL", keys.userNodes(userID)]]),
      let fields = reply.first.flatMap(Self.pairs)
    else { return nil }
    let others = fields.filter { $0.0 != settings.nodeID && (Int($0.1) ?? 0) > 0 }.map(\.0)
    guard !others.isEmpty else { return false }
    guard let live = await liveNodes() else { return nil }
    return others.contains { live.contains($0) }
  }

  /// Which of `userIDs` a live node other than this one holds (one pipelined read); nil
  /// when Redis cannot be asked.
  func connectedElsewhere(_ userIDs: [String]) async -> Set<String>? {
    guard !userIDs.isEmpty else { return [] }
    guard let replies = try? await client.send(userIDs.map { ["HGETALL", keys.userNodes($0)] }),
      let live = await liveNodes()
    else { return nil }
    var found = Set<String>()
    for (userID, reply) in zip(userIDs, replies) {
      let fields = Self.pairs(reply) ?? []
      if fields.contains(where: {
        $0.0 != settings.nodeID && (Int($0.1) ?? 0) > 0 && live.contains($0.0)
      }) {
        found.insert(userID)
      }
    }
    return found
  }

  /// The users the other live nodes hold, each once (in no particular order); nil when
  /// Redis cannot be asked.
  func usersElsewhere() async -> [String]? {
    guard let live = await liveNodes() else { return nil }
    let others = live.filter { $0 != settings.nodeID }.sorted()
    guard !others.isEmpty else { return [] }
    guard let replies = try? await client.send(others.map { ["HKEYS", keys.nodeUsers($0)] })
    else { return nil }
    var seen = Set<String>()
    var users: [String] = []
    for reply in replies {
      for element in reply.elements ?? [] {
        if let userID = element.string, seen.insert(userID).inserted { users.append(userID) }
      }
    }
    return users
  }

  /// The ids of live nodes (their registration key exists); dead ones leave `P nodes`.
  func liveNodes() async -> Set<String>? {
    guard let members = try? await client.send([["SMEMBERS", keys.nodes]]).first?.elements
    else { return nil }
    let ids = members.compactMap(\.string)
    guard !ids.isEmpty else { return [] }
    guard let exists = try? await client.send(ids.map { ["EXISTS", keys.node($0)] }) else {
      return nil
    }
    var live = Set<String>()
    var dead: [String] = []
    for (id, reply) in zip(ids, exists) {
      if reply.integer == 1 { live.insert(id) } else { dead.append(id) }
    }
    if !dead.isEmpty { _ = try? await client.send([["SREM", keys.nodes] + dead]) }
    return live
  }

  /// A hash reply (RESP3 map or RESP2 flat array) as field/value pairs.
  static func pairs(_ value: RESPValue) -> [(String, String)]? {
    switch value {
    case .map(let entries):
      return entries.compactMap { entry in
        guard let key = entry.key.string, let value = entry.value.string else { return nil }
        return (key, value)
      }
    case .array(let items):
      var pairs: [(String, String)] = []
      var index = 0
      while index + 1 < items.count {
        if let key = items[index].string, let value = items[index + 1].string {
          pairs.append((key, value))
        }
        index += 2
      }
      return pairs
    case .null:
      return []
    default:
      return nil
    }
  }
}

/// What cluster mode needs (cluster.md): set by `GATEWAY_REDIS_URL` and its companions.
struct ClusterSettings: Sendable, Equatable {
  /// The Redis every node shares (registry, routing and, by default, the store).
  var redis: RedisURL
  /// Signs `pid`s and the requests nodes forward to each other (`GATEWAY_CLUSTER_SECRET`).
  var secret: String = ""
  /// This node's id (`GATEWAY_NODE_ID`): the prefix of every Engine.IO session id it makes.
  var nodeID: String = ClusterSettings.randomNodeID()
  /// `host:port` other nodes forward to (`GATEWAY_NODE_ADDR`); nil: the listen address.
  var nodeAddress: String?
  /// A node whose heartbeat is this old is dead (`GATEWAY_NODE_TTL_MS`).
  var nodeTTLMilliseconds = 10_000
  /// Prefix of every Redis key and channel (`GATEWAY_REDIS_PREFIX`).
  var prefix = "gw:"

  /// Node ids: 1 to 32 of `A-Z a-z 0-9 _ -` (no `.`: it ends the id inside a session id).
  static func isValidNodeID(_ id: String) -> Bool {
    (1...32).contains(id.utf8.count)
      && id.utf8.allSatisfy { byte in
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
          || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
          || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
          || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
      }
  }

  /// 12 random id characters.
  static func randomNodeID() -> String {
    let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
    var generator = SystemRandomNumberGenerator()
    return String(
      decoding: (0..<12).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] },
      as: UTF8.self)
  }
}

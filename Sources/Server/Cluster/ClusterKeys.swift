/// The Redis keys and channels of one cluster (cluster.md), under its prefix `P`:
///
/// | key | type | holds |
/// |---|---|---|
/// | `P node:<id>` | string, PX node TTL | a live node's internal address |
/// | `P nodes` | set | every node id seen (dead ones are dropped when found dead) |
/// | `P nodeusers:<id>` | hash, PX node TTL | the node's users → their socket counts |
/// | `P{<user>}:nodes` | hash | node id → the user's socket count there (routing) |
///
/// Channels: `P deliver:<id>` (persisted entries for a node's sockets, published by the
/// store's append script), `P live:<id>` (live-only events), `P rooms` (a room changed).
/// User keys carry the user id as a hash tag, so a Redis Cluster keeps them in one slot.
struct ClusterKeys: Sendable {
  let prefix: String

  func node(_ id: String) -> String { prefix + "node:" + id }
  var nodes: String { prefix + "nodes" }
  func nodeUsers(_ id: String) -> String { prefix + "nodeusers:" + id }
  func userNodes(_ userID: String) -> String { prefix + "{" + userID + "}:nodes" }
  func deliverChannel(_ id: String) -> String { prefix + "deliver:" + id }
  func liveChannel(_ id: String) -> String { prefix + "live:" + id }
  var roomsChannel: String { prefix + "rooms" }
}

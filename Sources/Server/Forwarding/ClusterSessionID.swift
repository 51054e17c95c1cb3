/// Engine.IO session ids in cluster mode: `<nodeID>.<random>`, so that any node can tell
/// which node owns a session from its id alone (cluster.md, "Polling without sticky
/// sessions"). Node ids never contain `.`, and the random part (base64url) has none either.
enum ClusterSessionID {
  /// A new session id: the plain random id on a single node, prefixed by the node's id in
  /// cluster mode.
  static func make(cluster: ClusterSettings?) -> String {
    guard let cluster else { return RandomID.make() }
    return cluster.nodeID + "." + RandomID.make()
  }

  /// The id of the node that made `sid`, or nil when it has no node prefix (a single-node id
  /// or garbage).
  static func node(of sid: String) -> Substring? {
    guard let dot = sid.utf8.firstIndex(of: UInt8(ascii: ".")), dot != sid.startIndex else {
      return nil
    }
    return sid[..<dot]
  }
}

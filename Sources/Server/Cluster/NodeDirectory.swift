/// Where the other nodes of a cluster listen, for forwarding a request to the node that owns
/// its Engine.IO session (`SessionForwarder`).
///
/// The cluster node implements it over its Redis registry (with a short cache) and hands it
/// to `GatewayContext.init(nodeDirectory:)`; without one, a node forwards nothing.
protocol NodeDirectory: Sendable {
  /// The internal `host:port` of a live node; nil when it is unknown or dead.
  func address(ofNode id: String) async -> String?
}

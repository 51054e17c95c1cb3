/// A node's own port for the requests other nodes forward to it, when nodes share the public
/// port (`GATEWAY_REUSE_PORT=1` in cluster mode).
///
/// With SO_REUSEPORT the kernel hands each new connection to the public port to any of the
/// processes bound to it, so a request forwarded there could land on a node that is not the
/// owner (which answers `Session ID unknown`: a forwarded request is never forwarded again).
/// Each node therefore also listens on a port only it holds, and registers that port as its
/// internal address: the port of `GATEWAY_NODE_ADDR` when set, else a free one.
enum InternalListener {
  /// The node's own listener, or nil when it needs none (a single node, or no shared port).
  static func open(config: GatewayConfig, loop: EventLoop) throws(SystemError) -> Listener? {
    guard config.reusePort, let cluster = config.cluster else { return nil }
    let port = cluster.nodeAddress.flatMap { InternalConnection.split($0)?.1 } ?? 0
    return try Listener(host: config.host, port: port, loop: loop)
  }
}

import Protocol

/// Cluster mode at the Engine.IO entry: requests for other nodes' sessions go to their
/// owner, and requests other nodes forwarded here are recognised.
extension EngineIOServer {
  /// Forwards a request whose `sid` names another node to that node; nil when it names this
  /// node or none, when this node has no forwarder, or when the owner is unknown, dead or
  /// unreachable (the caller then answers `Session ID unknown`).
  func forwardToOwner(
    _ request: HTTPRequest, sid: String, transport: String, isUpgrade: Bool,
    _ requestContext: RequestContext
  ) async -> RouteResult? {
    guard let forwarder, let node = forwarder.foreignOwner(of: sid) else { return nil }
    let head = request.head
    if isUpgrade {
      guard transport == "websocket" else { return reject(.badRequest, head, isUpgrade: true) }
      return await forwarder.forwardUpgrade(request, to: node, requestContext)
    }
    // Only the transport's two methods: a HEAD's answer would have no body to read.
    guard head.method == "GET" || head.method == "POST" else { return nil }
    return await forwarder.forward(request, to: node, requestContext).map { .response($0) }
  }

  /// A request another node forwarded with a valid proof: it stands for the client whose
  /// address it carries, and its internal connection does not count against the per-address
  /// connection limit (the client's own connection counts on the node it reached).
  func acceptForwarded(_ head: HTTPRequestHead, _ requestContext: inout RequestContext) {
    requestContext.clientAddress = clusterProof?.clientAddress(head.headers)
    let channel = requestContext.channel
    if channel.countedAddress {
      channel.countedAddress = false
      context.connections.release(peer: channel.peer)
    }
    context.logger.debug(
      "forwarded request", ["from": channel.peer, "client": requestContext.peer])
  }
}

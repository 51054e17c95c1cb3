import Protocol

/// Sends a request for another node's Engine.IO session to that node (cluster.md, "Polling
/// without sticky sessions"): a polling GET or POST over a pooled internal connection, its
/// answer relayed unchanged; a WebSocket upgrade spliced byte for byte
/// (`SessionForwarder+Upgrade`).
///
/// Each request is forwarded on its own, not each client connection: a load balancer's
/// keep-alive connection carries requests for sessions on many nodes. When the owner is
/// unknown, dead or unreachable the caller answers `Session ID unknown`, as for a session
/// that ended here, and the client reconnects.
///
/// Cost: about 0.15-0.2 ms more per polling request than answering it on the owner directly
/// (release build, loopback, a busy 2-core VM: `ForwardingLatencyTests`).
final class SessionForwarder: Sendable {
  /// This node's id: sessions with it as their prefix are never forwarded.
  let nodeID: String
  let directory: any NodeDirectory
  let proof: ClusterProof
  let pool: InternalConnectionPool
  let metrics: Metrics
  let logger: Logger
  /// Longest wait for an owner's answer: a polling GET is held up to the ping interval,
  /// and the owner closes the session by the ping timeout after that; 5 s of slack.
  let responseTimeout: Duration
  /// The outbound queue limit of spliced upgrades (the client side has the same).
  let outboundLimit: Int

  /// A forwarder for `context`'s node; nil unless it runs in cluster mode with a directory.
  init?(context: GatewayContext, loop: EventLoop) {
    guard let cluster = context.config.cluster, let directory = context.nodeDirectory else {
      return nil
    }
    nodeID = cluster.nodeID
    self.directory = directory
    proof = ClusterProof(secret: cluster.secret)
    metrics = context.metrics
    logger = context.logger
    outboundLimit = context.config.outboundLimitBytes
    pool = InternalConnectionPool(
      loop: loop, sweeper: context.sweeper, outboundLimit: context.config.outboundLimitBytes)
    let config = context.config
    responseTimeout = .milliseconds(
      config.pingIntervalMilliseconds + config.pingTimeoutMilliseconds + 5_000)
  }

  /// The node that owns `sid` when that is another node, else nil (this node's own sessions,
  /// and ids without a node prefix, are answered here).
  func foreignOwner(of sid: String) -> String? {
    guard let node = ClusterSessionID.node(of: sid), node != nodeID else { return nil }
    return String(node)
  }

  /// Forwards a polling request to `node`; the owner's answer, or nil when the owner is
  /// unknown, dead or unreachable.
  func forward(_ request: HTTPRequest, to node: String, _ requestContext: RequestContext) async
    -> HTTPResponse?
  {
    guard let address = await directory.address(ofNode: node) else {
      return failed(node, address: nil, "unknown or dead node")
    }
    let bytes = ForwardedRequest.encode(
      request, address: address, proof: proof, clientAddress: requestContext.peer,
      isUpgrade: false)
    var lastError = "no connection"
    // A reused connection the owner closed while it was idle fails before any answer: the
    // request did not reach it, so it is sent once more on a fresh connection.
    for _ in 0..<2 {
      let connection: InternalConnection
      let reused: Bool
      do {
        (connection, reused) = try await pool.checkout(address)
      } catch {
        return failed(node, address: address, error.description)
      }
      var current = connection
      let outcome = await exchange(&current, bytes, client: requestContext.channel)
      pool.checkin(current)
      switch outcome {
      case .success(let response):
        metrics.forwardedRequests.add(1)
        return ForwardedRequest.relay(response)
      case .failure(.closedBeforeAnswer) where reused:
        lastError = "connection closed before an answer"
        continue
      case .failure(.clientGone):
        // Nobody is left to answer, and the owner is not at fault.
        return HTTPResponse(status: 400, closeConnection: true)
      case .failure(let error):
        return failed(node, address: address, error.description)
      }
    }
    return failed(node, address: address, lastError)
  }

  /// One exchange, bounded by `responseTimeout`; a client that hangs up meanwhile cuts the
  /// internal connection, so the owner sees its long-poll end as it would have locally.
  private func exchange(
    _ connection: inout InternalConnection, _ bytes: [UInt8], client: SocketChannel
  ) async -> Result<HTTPResponseParser.Response, InternalConnection.Failure> {
    do throws(InternalConnection.Failure) {
      try connection.send(bytes)
      let cut = connection.cut
      if !client.observeHangup({ cut.clientGone() }) { cut.clientGoneAfterFlush() }
      defer { client.clearHangupObserver() }
      return .success(try await connection.readResponse(timeout: responseTimeout))
    } catch {
      return .failure(error)
    }
  }

  /// Counts and logs a request that could not reach its owner; always nil.
  func failed<Answer>(_ node: String, address: String?, _ reason: String) -> Answer? {
    metrics.forwardingFailures.add(1)
    logger.info(
      "session owner unreachable: answering Session ID unknown",
      ["node": node, "address": address ?? "-", "reason": reason])
    return nil
  }

  /// Closes the idle internal connections (at shutdown).
  func close() {
    pool.close()
  }
}

extension InternalConnection.Failure: CustomStringConvertible {
  var description: String {
    switch self {
    case .closedBeforeAnswer: "connection closed before an answer"
    case .broken(let reason): reason
    case .timedOut: "no answer in time"
    case .clientGone: "the client went away"
    }
  }
}

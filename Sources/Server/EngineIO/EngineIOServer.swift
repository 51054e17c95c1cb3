import Protocol

/// Engine.IO v4 at one path (`/socket.io/`, or `/engine.io/` in conformance mode): checks
/// each request in the JS server's order (protocol.md §1.5), then hands it to the
/// handshake, the polling transport, or the WebSocket upgrade.
struct EngineIOServer: Sendable {
  let context: GatewayContext
  let application: SessionApplication
  let cors: CORSPolicy
  /// Cluster mode: forwards requests for other nodes' sessions; nil on a single node.
  let forwarder: SessionForwarder?
  /// Cluster mode: recognises requests forwarded by other nodes.
  let clusterProof: ClusterProof?

  init(context: GatewayContext, application: SessionApplication, forwarder: SessionForwarder?) {
    self.context = context
    self.application = application
    self.forwarder = forwarder
    cors = CORSPolicy(origins: context.config.corsOrigins)
    clusterProof = context.config.cluster.map { ClusterProof(secret: $0.secret) }
  }

  func handle(_ request: HTTPRequest, _ requestContext: RequestContext) async -> RouteResult {
    let head = request.head
    var requestContext = requestContext
    let isForwarded = clusterProof?.isValid(head.headers) == true
    if isForwarded { acceptForwarded(head, &requestContext) }
    if head.method == "OPTIONS" {
      return .response(cors.preflight(for: head))
    }
    let query = EngineIOQuery(query: head.query)
    let isUpgrade = WebSocketHandshake.isUpgradeRequest(head)
    guard let transport = query.transport, transport == "polling" || transport == "websocket"
    else { return reject(.transportUnknown, head, isUpgrade: isUpgrade) }
    if let origin = head.headers["origin"], !origin.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }) {
      return reject(.badRequest, head, isUpgrade: isUpgrade)
    }
    if let sid = query.sid {
      guard let session = context.sessions[sid] else {
        // A forwarded request is never forwarded again: no loops between nodes.
        if !isForwarded,
          let result = await forwardToOwner(
            request, sid: sid, transport: transport, isUpgrade: isUpgrade, requestContext)
        {
          return result
        }
        return reject(.sessionIDUnknown, head, isUpgrade: isUpgrade)
      }
      if isUpgrade {
        guard transport == "websocket" else { return reject(.badRequest, head, isUpgrade: true) }
        return await upgrade(session, head, requestContext)
      }
      let current = session.outbox.transport == .polling ? "polling" : "websocket"
      guard transport == current else { return reject(.badRequest, head, isUpgrade: false) }
      switch head.method {
      case "GET": return .response(await poll(session, head, requestContext))
      case "POST": return .response(await post(session, request))
      default: return .response(HTTPResponse(status: 500, headers: cors.headers(for: head)))
      }
    }
    guard head.method == "GET" else {
      return reject(.badHandshakeMethod, head, isUpgrade: isUpgrade)
    }
    if transport == "websocket", !isUpgrade { return reject(.badRequest, head, isUpgrade: false) }
    guard query.eio == "4" else {
      return reject(.unsupportedProtocolVersion, head, isUpgrade: isUpgrade)
    }
    if isUpgrade {
      guard transport == "websocket" else { return reject(.badRequest, head, isUpgrade: true) }
      return await openWebSocketSession(head, requestContext)
    }
    return .response(await openPollingSession(head, requestContext))
  }

  /// An Engine.IO error: JSON `{"code":N,"message":...}` on HTTP, or the JS server's raw
  /// 400 with the plain message on a WebSocket upgrade request.
  func reject(_ code: EngineIOErrorCode, _ head: HTTPRequestHead, isUpgrade: Bool) -> RouteResult {
    if isUpgrade {
      var headers = HTTPHeaders([("Content-Type", "text/html")])
      headers.add(name: "Connection", value: "close")
      return .response(
        HTTPResponse(
          status: 400, headers: headers, body: Array(code.message.utf8), closeConnection: true))
    }
    var headers = cors.headers(for: head)
    headers.add(name: "Content-Type", value: "application/json")
    return .response(
      HTTPResponse(status: code.httpStatus, headers: headers, body: Array(code.jsonBody.utf8)))
  }

  /// Creates a session and registers it; `webSocket` is set for WebSocket-only sessions.
  func makeSession(_ head: HTTPRequestHead, peer: String, webSocket: SocketChannel?)
    -> ConnectionActor
  {
    let sid = ClusterSessionID.make(cluster: context.config.cluster)
    let outbox = SessionOutbox(
      sid: sid, webSocket: webSocket, limit: context.config.outboundLimitBytes)
    let session = ConnectionActor(
      sid: sid, outbox: outbox, peer: peer, context: context, application: application,
      handshakeToken: BearerToken.fromAuthorizationHeader(head.headers["authorization"]))
    context.sessions.insert(session)
    return session
  }

  /// The open packet's JSON for a new session.
  func handshakeJSON(sid: String, upgrades: [String]) -> String {
    let config = context.config
    return EngineIOHandshake(
      sid: sid, upgrades: upgrades, pingInterval: config.pingIntervalMilliseconds,
      pingTimeout: config.pingTimeoutMilliseconds, maxPayload: config.maxPayloadBytes
    ).json
  }
}

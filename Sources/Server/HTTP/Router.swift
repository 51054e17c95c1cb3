import Protocol

/// Sends each request to the part of the gateway that serves its path.
struct Router: Sendable {
  let context: GatewayContext
  let socketIO: EngineIOServer
  let engineIO: EngineIOServer?
  let api: RESTAPI
  /// `/metrics`, the OpenAPI document and the dashboard (`Router+Ops`).
  let ops: OpsRoutes

  /// A router for `context`; `forwarder` (cluster mode) sends requests for other nodes'
  /// sessions to them.
  init(context: GatewayContext, forwarder: SessionForwarder? = nil) {
    self.context = context
    socketIO = EngineIOServer(context: context, application: .socketIO, forwarder: forwarder)
    engineIO =
      context.config.conformance
      ? EngineIOServer(context: context, application: .engineEcho, forwarder: forwarder) : nil
    api = RESTAPI(context: context)
    ops = OpsRoutes(context: context)
  }

  /// A request the parser refused (too large, malformed after its request line): a polling
  /// POST over the limit ends its Engine.IO session, as a transport error.
  func rejected(_ head: HTTPRequestHead, status: Int) async {
    let path = head.path
    guard
      Self.hasPrefix(path, "/socket.io/")
        || (engineIO != nil && Self.hasPrefix(path, "/engine.io/")),
      let sid = EngineIOQuery(query: head.query).sid, let session = context.sessions[sid]
    else { return }
    await session.close(.transportError)
  }

  func route(_ request: HTTPRequest, _ requestContext: RequestContext) async -> RouteResult {
    let path = request.head.path
    if Self.hasPrefix(path, "/socket.io/") {
      return await socketIO.handle(request, requestContext)
    }
    if let engineIO, Self.hasPrefix(path, "/engine.io/") {
      return await engineIO.handle(request, requestContext)
    }
    return .response(await measured(request))
  }

  /// The REST API, `/healthz`, and 404 for anything else.
  func plain(_ request: HTTPRequest) async -> HTTPResponse {
    let path = request.head.path
    if path == "/api/gateway" || Self.hasPrefix(path, "/api/gateway/") {
      return await api.handle(request)
    }
    if path == "/healthz" {
      guard request.head.method == "GET" || request.head.method == "HEAD" else {
        return .error(405, "Method \(request.head.method) not allowed on /healthz; use GET")
      }
      if context.isDraining { return .json(503, Array(#"{"status":"draining"}"#.utf8)) }
      // Cluster mode without Redis: still serving this node's sockets, so not a 503.
      if let cluster = context.cluster, !cluster.isRedisReachable {
        return .json(200, Array(#"{"status":"degraded","redis":"unreachable"}"#.utf8))
      }
      return .json(200, Array(#"{"status":"ok"}"#.utf8))
    }
    return .error(404, "Cannot \(request.head.method) \(path)")
  }

  /// Whether `path` starts with `prefix`, compared as contiguous bytes: `Substring.hasPrefix`
  /// walks Characters and cost ~8,500 instructions per REST request here, and even the
  /// UTF8View walk ~1,100 (callgrind).
  static func hasPrefix(_ path: Substring, _ prefix: StaticString) -> Bool {
    let expected = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
    let contiguous = path.utf8.withContiguousStorageIfAvailable { bytes in
      bytes.count >= expected.count && zip(bytes, expected).allSatisfy { $0 == $1 }
    }
    return contiguous ?? path.utf8.starts(with: expected)
  }
}

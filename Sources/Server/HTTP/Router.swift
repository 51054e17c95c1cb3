import Protocol

/// Sends each request to the part of the gateway that serves its path.
struct Router: Sendable {
  let context: GatewayContext
  let socketIO: EngineIOServer
  let engineIO: EngineIOServer?
  let api: RESTAPI

  init(context: GatewayContext) {
    self.context = context
    socketIO = EngineIOServer(context: context, application: .socketIO)
    engineIO =
      context.config.conformance ? EngineIOServer(context: context, application: .engineEcho) : nil
    api = RESTAPI(context: context)
  }

  /// A request the parser refused (too large, malformed after its request line): a polling
  /// POST over the limit ends its Engine.IO session, as a transport error.
  func rejected(_ head: HTTPRequestHead, status: Int) async {
    let path = head.path
    guard path.hasPrefix("/socket.io/") || (engineIO != nil && path.hasPrefix("/engine.io/")),
      let sid = EngineIOQuery(query: head.query).sid, let session = context.sessions[sid]
    else { return }
    await session.close(.transportError)
  }

  func route(_ request: HTTPRequest, _ requestContext: RequestContext) async -> RouteResult {
    let path = request.head.path
    if path.hasPrefix("/socket.io/") {
      return await socketIO.handle(request, requestContext)
    }
    if let engineIO, path.hasPrefix("/engine.io/") {
      return await engineIO.handle(request, requestContext)
    }
    if path == "/api/gateway" || path.hasPrefix("/api/gateway/") {
      return .response(await api.handle(request))
    }
    if path == "/healthz" {
      guard request.head.method == "GET" || request.head.method == "HEAD" else {
        return .response(
          .error(405, "Method \(request.head.method) not allowed on /healthz; use GET"))
      }
      return .response(
        context.isDraining
          ? .json(503, Array(#"{"status":"draining"}"#.utf8))
          : .json(200, Array(#"{"status":"ok"}"#.utf8)))
    }
    return .response(.error(404, "Cannot \(request.head.method) \(path)"))
  }
}

import Protocol

/// CORS for the Engine.IO endpoint, as protocol.md §1.12 describes the JS server's `cors`
/// option: `*` by default; with a list, the request's origin is echoed when it matches,
/// with credentials allowed, and `Vary: Origin`.
struct CORSPolicy: Sendable {
  /// `["*"]` or exact origins like `https://app.example.com`.
  let origins: [String]

  var allowsAnyOrigin: Bool { origins.contains("*") }

  /// Whether a WebSocket upgrade from `origin` is allowed (cross-site WebSocket hijacking
  /// check; requests without `Origin` come from non-browser clients and pass).
  func allowsUpgrade(from origin: String?) -> Bool {
    guard let origin, !allowsAnyOrigin else { return true }
    return origins.contains(origin)
  }

  /// Headers for an actual GET/POST response.
  func headers(for head: HTTPRequestHead) -> HTTPHeaders {
    var headers = HTTPHeaders()
    addOrigin(for: head, to: &headers)
    return headers
  }

  /// The answer to a preflight `OPTIONS`: 204 with the allowed methods and the requested
  /// headers echoed (so `Authorization` from `extraHeaders` passes).
  func preflight(for head: HTTPRequestHead) -> HTTPResponse {
    var headers = HTTPHeaders()
    addOrigin(for: head, to: &headers)
    headers.add(name: "Access-Control-Allow-Methods", value: "GET,HEAD,PUT,PATCH,POST,DELETE")
    if let requested = head.headers["access-control-request-headers"] {
      headers.add(name: "Access-Control-Allow-Headers", value: requested)
      headers.add(name: "Vary", value: "Access-Control-Request-Headers")
    }
    return HTTPResponse(status: 204, headers: headers)
  }

  private func addOrigin(for head: HTTPRequestHead, to headers: inout HTTPHeaders) {
    if allowsAnyOrigin {
      headers.add(name: "Access-Control-Allow-Origin", value: "*")
      return
    }
    if let origin = head.headers["origin"], origins.contains(origin) {
      headers.add(name: "Access-Control-Allow-Origin", value: origin)
      headers.add(name: "Access-Control-Allow-Credentials", value: "true")
    }
    headers.add(name: "Vary", value: "Origin")
  }
}

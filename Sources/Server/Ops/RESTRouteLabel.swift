/// The low-cardinality `method` and `route` labels of a REST request: the path's template
/// (`/api/gateway/status/:userId`), never the raw user id, so a scrape stays the same size
/// however many users call.
enum RESTRouteLabel: Int, CaseIterable, Sendable {
  case send, sendMany, status, connected, stats, message, history, deleteHistory
  case openAPI, dashboardSnapshot, healthz, metrics, dashboard
  /// Anything else: unknown paths (404) and known paths with another method (405).
  case other

  /// The `method` label.
  var method: String {
    switch self {
    case .send, .sendMany: "POST"
    case .deleteHistory: "DELETE"
    case .other: "other"
    default: "GET"
    }
  }

  /// The `route` label: the path with its parameters named.
  var route: String {
    switch self {
    case .send: "/api/gateway/send"
    case .sendMany: "/api/gateway/send-many"
    case .status: "/api/gateway/status/:userId"
    case .connected: "/api/gateway/connected"
    case .stats: "/api/gateway/stats"
    case .message: "/api/gateway/messages/:messageId"
    case .history, .deleteHistory: "/api/gateway/history/:userId"
    case .openAPI: "/api/gateway/openapi.json"
    case .dashboardSnapshot: "/api/gateway/dashboard/snapshot"
    case .healthz: "/healthz"
    case .metrics: "/metrics"
    case .dashboard: "/dashboard"
    case .other: "other"
    }
  }

  /// The label of a request (`HEAD` counts as `GET`; one trailing slash is tolerated, as
  /// the API tolerates it).
  init(method: String, path rawPath: Substring) {
    var path = rawPath.utf8[...]
    if path.count > 1, path.last == UInt8(ascii: "/") { path = path.dropLast() }
    let method = method == "HEAD" ? "GET" : method
    let label = Self.match(path)
    self = label.method == method ? label : .other
    if label == .history, method == "DELETE" { self = .deleteHistory }
  }

  private static func match(_ path: Substring.UTF8View.SubSequence) -> RESTRouteLabel {
    for label in fixedRoutes where path.elementsEqual(label.route.utf8) { return label }
    for (prefix, label) in parameterRoutes where hasOneSegment(path, after: prefix) {
      return label
    }
    return .other
  }

  private static let fixedRoutes: [RESTRouteLabel] = [
    .send, .sendMany, .connected, .stats, .openAPI, .dashboardSnapshot, .healthz, .metrics,
    .dashboard,
  ]

  private static let parameterRoutes: [(String, RESTRouteLabel)] = [
    ("/api/gateway/status/", .status), ("/api/gateway/messages/", .message),
    ("/api/gateway/history/", .history),
  ]

  /// Whether `path` is `prefix` followed by one non-empty segment.
  private static func hasOneSegment(
    _ path: Substring.UTF8View.SubSequence, after prefix: String
  ) -> Bool {
    guard path.count > prefix.utf8.count, path.starts(with: prefix.utf8) else { return false }
    return !path.dropFirst(prefix.utf8.count).contains(UInt8(ascii: "/"))
  }
}

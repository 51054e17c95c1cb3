import Protocol

/// The operator's endpoints, served before the REST API: `/metrics` (Prometheus), the
/// OpenAPI document, and the dashboard with its snapshot.
struct OpsRoutes: Sendable {
  /// The gateway's shared services (metrics, registry, connections).
  let context: GatewayContext
  /// Who may read what.
  let authorization: OpsAuthorization

  /// The routes over `context`.
  init(context: GatewayContext) {
    self.context = context
    authorization = OpsAuthorization(context: context)
  }

  /// The answer for an operator's path (as `RESTRouteLabel.matching` named it); nil for
  /// any other path.
  func handle(_ request: HTTPRequest, route: RESTRouteLabel) async -> HTTPResponse? {
    switch route {
    case .metrics: return await metrics(request)
    case .openAPI:
      let path = "/api/gateway/openapi.json"
      return Self.refusalForMethod(request.head, path: path) ?? .json(200, OpenAPIDocument.json)
    case .dashboard:
      return Self.refusalForMethod(request.head, path: "/dashboard")
        ?? HTTPResponse(
          status: 200, headers: HTTPHeaders(DashboardPage.headers), body: DashboardPage.html)
    case .dashboardSnapshot:
      let path = "/api/gateway/dashboard/snapshot"
      if let refusal = Self.refusalForMethod(request.head, path: path) { return refusal }
      if let refusal = authorization.refusalForAPI(request.head) { return refusal }
      return await DashboardSnapshot(context: context).response(query: request.head.query)
    default: return nil
    }
  }

  /// `GET /metrics`: the Prometheus text format.
  private func metrics(_ request: HTTPRequest) async -> HTTPResponse? {
    if let refusal = Self.refusalForMethod(request.head, path: "/metrics") { return refusal }
    if let refusal = authorization.refusalForMetrics(request.head) { return refusal }
    let text = await MetricsScrape(context: context).text()
    return HTTPResponse(
      status: 200, headers: HTTPHeaders([("Content-Type", PrometheusExposition.contentType)]),
      body: Array(text.utf8))
  }

  /// A 405 unless the method is GET or HEAD.
  static func refusalForMethod(_ head: HTTPRequestHead, path: String) -> HTTPResponse? {
    guard head.method != "GET", head.method != "HEAD" else { return nil }
    return .error(405, "Method \(head.method) not allowed on \(path); use GET")
  }
}

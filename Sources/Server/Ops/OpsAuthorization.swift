import Auth
import Protocol

/// Who may read the operator's endpoints: the REST API's credentials (an API key, or a JWT
/// with the API role), and for `/metrics` also `GATEWAY_METRICS_TOKEN`, so a Prometheus
/// server can scrape without a credential that could push to users.
struct OpsAuthorization: Sendable {
  /// The REST API's check (API keys, JWT with the API role).
  let apiAuthorizer: APIAuthorizer
  /// `GATEWAY_METRICS_TOKEN`'s bytes; nil when not set.
  let metricsToken: [UInt8]?

  /// The checks configured in `context`.
  init(context: GatewayContext) {
    apiAuthorizer = context.apiAuthorizer
    metricsToken = context.config.metricsToken.map { Array($0.utf8) }
  }

  /// nil when the request may read `/metrics`; otherwise the 401/403 to answer.
  func refusalForMetrics(_ head: HTTPRequestHead) -> HTTPResponse? {
    if let metricsToken,
      var token = BearerToken.fromAuthorizationHeader(head.headers["authorization"]),
      token.withUTF8({ constantTimeEquals(metricsToken, $0) })
    {
      return nil
    }
    return refusalForAPI(head)
  }

  /// nil when the request carries a REST API credential; otherwise the 401/403 to answer.
  func refusalForAPI(_ head: HTTPRequestHead) -> HTTPResponse? {
    switch apiAuthorizer.authorize(head, now: Clock.unixSeconds()) {
    case nil: nil
    case .unauthorized(let message)?: .error(401, message)
    case .forbidden(let message)?: .error(403, message)
    }
  }
}

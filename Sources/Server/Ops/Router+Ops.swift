import Protocol

extension Router {
  /// Serves a plain HTTP request (REST, `/healthz`, the operator's pages) and counts it by
  /// route template and status, with its latency; the push path reads the start time from
  /// `RequestTiming`.
  func measured(_ request: HTTPRequest) async -> HTTPResponse {
    let start = Clock.monotonicNanoseconds()
    let route = RESTRouteLabel.matching(path: request.head.path)
    var response = await RequestTiming.$receivedAt.withValue(start) {
      if let answer = await ops.handle(request, route: route) { return answer }
      return await plain(request)
    }
    // RFC 9110 §15.5.6: a 405 must list the allowed methods; added here once for every route.
    if response.status == 405, response.headers["allow"] == nil, let allowed = route.allowedMethods
    {
      response.headers.add(name: "Allow", value: allowed)
    }
    context.metrics.rest.record(
      route.answering(method: request.head.method), status: response.status,
      nanoseconds: Clock.monotonicNanoseconds() - start)
    return response
  }
}

import Protocol

extension Router {
  /// Serves a plain HTTP request (REST, `/healthz`, the operator's pages) and counts it by
  /// route template and status, with its latency; the push path reads the start time from
  /// `RequestTiming`.
  func measured(_ request: HTTPRequest) async -> HTTPResponse {
    let start = Clock.monotonicNanoseconds()
    let response = await RequestTiming.$receivedAt.withValue(start) {
      if let answer = await ops.handle(request) { return answer }
      return await plain(request)
    }
    context.metrics.rest.record(
      RESTRouteLabel(method: request.head.method, path: request.head.path),
      status: response.status, nanoseconds: Clock.monotonicNanoseconds() - start)
    return response
  }
}

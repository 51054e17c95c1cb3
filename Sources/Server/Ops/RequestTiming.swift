/// When the REST request the current task serves was routed, so code deep in the send path
/// (`Delivery`) can measure push latency without the time being threaded through every call.
enum RequestTiming {
  /// `Clock.monotonicNanoseconds()` when the router took the request; nil outside a REST
  /// request (a replay on connect, a test calling `Delivery` directly).
  @TaskLocal static var receivedAt: Int64?

  /// Records the time since the request was routed into `histogram`, when there is one.
  static func observe(into histogram: LatencyHistogram) {
    guard let start = receivedAt else { return }
    histogram.observe(since: start)
  }
}

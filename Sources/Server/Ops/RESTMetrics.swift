import Synchronization

/// REST requests by route and status, and their latency by route: fixed slots of relaxed
/// atomics, found by index (no lock, no dictionary).
///
/// Written to `/metrics` as `gateway_rest_requests_total{method,route,code}` and the
/// histogram `gateway_rest_request_duration_seconds{method,route}`; series that never
/// counted anything are left out, so the scrape shows what the gateway actually served.
final class RESTMetrics: MetricFamily, Sendable {
  /// The status codes counted by their own series; any other is `code="other"`.
  static let statuses = [
    200, 201, 204, 400, 401, 403, 404, 405, 408, 409, 413, 414, 415, 422, 429, 431, 500, 502, 503,
  ]

  /// One route's counters.
  final class RouteSeries: Sendable {
    /// Requests per status, in `statuses` order, then `other`.
    let statuses: InlineArray<20, Atomic<Int>> = InlineArray { _ in Atomic<Int>(0) }
    /// Time from routing the request to its response being ready.
    let latency = LatencyHistogram("", "")
  }

  /// One series per route label, by `RESTRouteLabel.rawValue`.
  let routes: [RouteSeries] = RESTRouteLabel.allCases.map { _ in RouteSeries() }

  /// Records one answered request.
  func record(_ label: RESTRouteLabel, status: Int, nanoseconds: Int64) {
    let series = routes[label.rawValue]
    let slot = Self.statuses.firstIndex(of: status) ?? Self.statuses.count
    series.statuses[slot].add(1, ordering: .relaxed)
    series.latency.observe(nanoseconds: nanoseconds)
  }

  /// Requests answered on `label` with `status` so far.
  func count(_ label: RESTRouteLabel, status: Int) -> Int {
    let slot = Self.statuses.firstIndex(of: status) ?? Self.statuses.count
    return routes[label.rawValue].statuses[slot].load(ordering: .relaxed)
  }

  /// Every route's latency merged (for the dashboard's percentiles).
  func mergedLatency() -> LatencyHistogram.Snapshot {
    var merged = LatencyHistogram.Snapshot(
      cumulativeCounts: Array(repeating: 0, count: LatencyHistogram.bucketCount - 1), count: 0,
      sumSeconds: 0)
    for series in routes {
      let snapshot = series.latency.snapshot()
      for index in merged.cumulativeCounts.indices {
        merged.cumulativeCounts[index] += snapshot.cumulativeCounts[index]
      }
      merged.count += snapshot.count
      merged.sumSeconds += snapshot.sumSeconds
    }
    return merged
  }

  func write(into exposition: inout PrometheusExposition) {
    let requests = "gateway_rest_requests_total"
    exposition.family(
      requests, help: "REST requests answered, by method, route template and status code.",
      type: .counter)
    let codes = Self.statuses.map(String.init) + ["other"]
    for label in RESTRouteLabel.allCases {
      let series = routes[label.rawValue]
      for (slot, code) in codes.enumerated() {
        let count = series.statuses[slot].load(ordering: .relaxed)
        guard count > 0 else { continue }
        exposition.sample(
          requests, ["method": label.method, "route": label.route, "code": code], count)
      }
    }
    let duration = "gateway_rest_request_duration_seconds"
    exposition.family(
      duration, help: "Time from routing a REST request to its response being ready.",
      type: .histogram)
    for label in RESTRouteLabel.allCases {
      let snapshot = routes[label.rawValue].latency.snapshot()
      guard snapshot.count > 0 else { continue }
      exposition.histogram(
        duration, labels: [("method", label.method), ("route", label.route)], snapshot)
    }
  }
}

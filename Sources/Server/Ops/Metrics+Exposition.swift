extension Metrics {
  /// Every stored `MetricFamily`, in declaration order (what makes a new metric one line
  /// in `Metrics`). Read by reflection once per scrape, never on a hot path.
  var families: [any MetricFamily] {
    Mirror(reflecting: self).children.compactMap { $0.value as? any MetricFamily }
  }

  /// Writes every stored family.
  func write(into exposition: inout PrometheusExposition) {
    for family in families { family.write(into: &exposition) }
  }
}

import Synchronization

/// Something `/metrics` writes: one or more whole families (`# HELP`, `# TYPE`, samples).
///
/// Every stored property of `Metrics` that conforms is written, in declaration order, so a
/// new metric is one line there: `let storeCommits = Counter("gateway_store_commits_total",
/// "…")`. A component with several series of its own can be one `MetricFamily` that
/// writes them all, stored in `Metrics` the same way.
protocol MetricFamily: AnyObject, Sendable {
  /// Appends the family's lines.
  func write(into exposition: inout PrometheusExposition)
}

/// A monotonic count (`_total` by convention), bumped with one relaxed atomic add.
///
/// Spelled like the `Atomic<Int>` it wraps (`add(_:ordering:)`, `load(ordering:)`), so
/// call sites read the same as before metrics had names.
final class Counter: MetricFamily, Sendable {
  /// Family name, e.g. `gateway_events_delivered_total`.
  let name: String
  /// `# HELP` text.
  let help: String
  private let value = Atomic<Int>(0)

  /// A counter named `name`, starting at zero.
  init(_ name: String, _ help: String) {
    self.name = name
    self.help = help
  }

  /// Adds `amount`, always with relaxed ordering (a counter orders nothing); `ordering`
  /// only keeps `Atomic`'s spelling at the call sites.
  func add(_ amount: Int, ordering _: AtomicUpdateOrdering = .relaxed) {
    value.add(amount, ordering: .relaxed)
  }

  /// The current count.
  func load() -> Int {
    value.load(ordering: .relaxed)
  }

  func write(into exposition: inout PrometheusExposition) {
    exposition.single(name, help: help, type: .counter, load())
  }
}

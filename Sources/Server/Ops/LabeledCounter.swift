import Synchronization

/// A counter family with one label whose values are known at start (close reasons, auth
/// failure codes), one relaxed atomic per value; an unknown value counts as `other`.
///
/// The values are fixed so the series are bounded (a label fed from input would let a
/// client grow the scrape without limit). Finding a value's slot is one dictionary lookup:
/// these count rare events (a disconnect, a refused token), not every frame.
final class LabeledCounter: MetricFamily, Sendable {
  /// Most label values (with `other`); `Atomic` cannot live in an `Array`, so the slots
  /// are a fixed `InlineArray`.
  static let capacity = 32

  /// Family name, e.g. `gateway_socket_disconnects_total`.
  let name: String
  /// `# HELP` text.
  let help: String
  /// The label's name, e.g. `reason`.
  let label: String
  /// The known values, in exposition order; `other` follows them.
  let values: [String]
  private let slots: [String: Int]
  private let counts: InlineArray<32, Atomic<Int>>

  /// A family labelled `label`, with a series for each of `values` (at most 31) and
  /// `other`.
  init(_ name: String, _ help: String, label: String, values: [String]) {
    precondition(values.count < Self.capacity, "\(name): too many label values")
    self.name = name
    self.help = help
    self.label = label
    self.values = values
    slots = Dictionary(
      values.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    counts = InlineArray { _ in Atomic<Int>(0) }
  }

  /// A family with a series per case of `Label`, named by raw value.
  convenience init<Label: CaseIterable & RawRepresentable<String>>(
    _ name: String, _ help: String, label: String, cases: Label.Type, extra: [String] = []
  ) {
    self.init(name, help, label: label, values: Label.allCases.map(\.rawValue) + extra)
  }

  /// Counts one event labelled `value` (`other` when it is not a known value).
  func increment(_ value: String) {
    counts[slots[value] ?? values.count].add(1, ordering: .relaxed)
  }

  /// Counts one event labelled with `value`'s raw value.
  func increment(_ value: some RawRepresentable<String>) {
    increment(value.rawValue)
  }

  /// The count for `value` (`other` for an unknown one).
  func count(_ value: String) -> Int {
    counts[slots[value] ?? values.count].load(ordering: .relaxed)
  }

  /// The sum over every value.
  var total: Int {
    (0...values.count).reduce(0) { $0 + counts[$1].load(ordering: .relaxed) }
  }

  func write(into exposition: inout PrometheusExposition) {
    exposition.family(name, help: help, type: .counter)
    for (index, value) in (values + ["other"]).enumerated() {
      exposition.sample(name, [label: value], counts[index].load(ordering: .relaxed))
    }
  }
}

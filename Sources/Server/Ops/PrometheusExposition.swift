/// Writes the Prometheus text exposition format, version 0.0.4: for each family a `# HELP`
/// and a `# TYPE` line, then its samples, one per line.
///
/// ```
/// # HELP gateway_events_delivered_total Socket.IO events queued to sockets by pushes.
/// # TYPE gateway_events_delivered_total counter
/// gateway_events_delivered_total 42
/// ```
///
/// Pure: values in, text out. Names are not checked here (they are literals in `Metrics`,
/// and `PrometheusExpositionTests` parses every one); label values and help text are
/// escaped as the format requires.
struct PrometheusExposition: Sendable {
  /// The kinds of family the gateway writes.
  enum FamilyType: String, Sendable {
    case counter, gauge, histogram
  }

  /// The text written so far.
  private(set) var text = ""

  /// The media type of the format, for `Content-Type`.
  static let contentType = "text/plain; version=0.0.4; charset=utf-8"

  /// Starts a family: its `# HELP` and `# TYPE` lines.
  mutating func family(_ name: String, help: String, type: FamilyType) {
    text += "# HELP \(name) \(Self.escapedHelp(help))\n# TYPE \(name) \(type.rawValue)\n"
  }

  /// One sample line with an integer value.
  mutating func sample(_ name: String, _ labels: KeyValuePairs<String, String> = [:], _ value: Int)
  {
    writeName(name, labels)
    text += " \(value)\n"
  }

  /// One sample line with a floating-point value (`+Inf`, `-Inf` and `NaN` spelled as the
  /// format wants them).
  mutating func sample(
    _ name: String, _ labels: KeyValuePairs<String, String> = [:], _ value: Double
  ) {
    writeName(name, labels)
    text += " \(Self.format(value))\n"
  }

  /// A whole family of one unlabelled sample.
  mutating func single(_ name: String, help: String, type: FamilyType, _ value: Int) {
    family(name, help: help, type: type)
    sample(name, [:], value)
  }

  /// A whole family of one unlabelled floating-point sample.
  mutating func single(_ name: String, help: String, type: FamilyType, _ value: Double) {
    family(name, help: help, type: type)
    sample(name, [:], value)
  }

  /// The samples of one histogram (after its family lines): a cumulative `_bucket` line per
  /// upper bound, `+Inf` last, then `_sum` and `_count`. `labels` go on every line, before
  /// `le`.
  mutating func histogram(
    _ name: String, labels: [(String, String)] = [], _ snapshot: LatencyHistogram.Snapshot
  ) {
    for (bound, count) in zip(LatencyHistogram.upperBoundsSeconds, snapshot.cumulativeCounts) {
      writeName(name + "_bucket", labels + [("le", Self.format(bound))])
      text += " \(count)\n"
    }
    writeName(name + "_bucket", labels + [("le", "+Inf")])
    text += " \(snapshot.count)\n"
    writeName(name + "_sum", labels)
    text += " \(Self.format(snapshot.sumSeconds))\n"
    writeName(name + "_count", labels)
    text += " \(snapshot.count)\n"
  }

  private mutating func writeName(_ name: String, _ labels: KeyValuePairs<String, String>) {
    writeName(name, labels.map { ($0.key, $0.value) })
  }

  private mutating func writeName(_ name: String, _ labels: [(String, String)]) {
    text += name
    guard !labels.isEmpty else { return }
    text += "{"
    for (index, (key, value)) in labels.enumerated() {
      if index > 0 { text += "," }
      text += "\(key)=\"\(Self.escapedLabelValue(value))\""
    }
    text += "}"
  }

  /// A value as the format spells it: Go's `ParseFloat` reads Swift's shortest
  /// round-trip form (`0.005`, `1e-05`, `2.5`).
  static func format(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
  }

  /// Help text: backslash and line feed escaped (format 0.0.4).
  static func escapedHelp(_ help: String) -> String {
    guard help.contains(where: { $0 == "\\" || $0 == "\n" }) else { return help }
    var escaped = ""
    for character in help {
      switch character {
      case "\\": escaped += "\\\\"
      case "\n": escaped += "\\n"
      default: escaped.append(character)
      }
    }
    return escaped
  }

  /// A label value: backslash, double quote and line feed escaped (format 0.0.4).
  static func escapedLabelValue(_ value: String) -> String {
    guard value.contains(where: { $0 == "\\" || $0 == "\n" || $0 == "\"" }) else { return value }
    var escaped = ""
    for character in value {
      switch character {
      case "\\": escaped += "\\\\"
      case "\n": escaped += "\\n"
      case "\"": escaped += "\\\""
      default: escaped.append(character)
      }
    }
    return escaped
  }
}

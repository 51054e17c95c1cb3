/// One scenario's results as a single JSON object line, keys in insertion order.
struct ResultLine {
  private var fields: [(String, String)] = []

  /// Adds a string value.
  mutating func add(_ key: String, _ value: String) {
    var escaped = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": escaped += "\\\""
      case "\\": escaped += "\\\\"
      case "\n": escaped += "\\n"
      default: escaped.unicodeScalars.append(scalar)
      }
    }
    fields.append((key, escaped + "\""))
  }

  /// Adds an integer value.
  mutating func add(_ key: String, _ value: Int) {
    fields.append((key, String(value)))
  }

  /// Adds a number with at most three decimals (`null` when not finite).
  mutating func add(_ key: String, _ value: Double) {
    guard value.isFinite else { return fields.append((key, "null")) }
    let thousandths = (value * 1000).rounded()
    let whole = Int(thousandths / 1000)
    let fraction = Int(abs(thousandths).truncatingRemainder(dividingBy: 1000))
    let sign = thousandths < 0 && whole == 0 ? "-" : ""
    let digits = fraction == 0 ? "" : "." + String(String(fraction + 1000).dropFirst())
    let trimmed =
      digits.hasSuffix("00")
      ? String(digits.dropLast(2)) : digits.hasSuffix("0") ? String(digits.dropLast()) : digits
    fields.append((key, sign + String(whole) + trimmed))
  }

  /// Adds a boolean value.
  mutating func add(_ key: String, _ value: Bool) {
    fields.append((key, value ? "true" : "false"))
  }

  /// The JSON text.
  var text: String {
    "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
  }
}

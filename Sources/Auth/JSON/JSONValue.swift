/// A parsed JSON value: just what Auth reads from JOSE headers, claims and JWK Sets.
///
/// Booleans and numbers are distinct cases, so a `true` claim can never pass for `1` (the
/// trap of bridging through `NSNumber`), and numbers keep their text, so an integer user id
/// longer than a `Double` holds survives digit for digit.
enum JSONValue: Equatable, Sendable {
  /// `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// A number, with its source text.
  case number(JSONNumber)
  /// A string, escapes resolved.
  case string(String)
  /// An array.
  case array([JSONValue])
  /// An object; duplicate member names are refused by the parser (RFC 7515 §4).
  case object(JSONObject)

  /// The members, if this is an object.
  var object: JSONObject? {
    if case .object(let members) = self { return members }
    return nil
  }

  /// The text, if this is a string.
  var string: String? {
    if case .string(let text) = self { return text }
    return nil
  }

  /// The value, if this is a number.
  var number: Double? {
    if case .number(let number) = self { return number.value }
    return nil
  }

  /// The elements, if this is an array.
  var array: [JSONValue]? {
    if case .array(let elements) = self { return elements }
    return nil
  }
}

/// A JSON number: its source text and its value as a finite `Double`.
struct JSONNumber: Equatable, Sendable {
  /// The text as written, e.g. `42`, `-7`, `4.2e1`.
  var text: String
  /// The value; the parser refuses numbers that overflow to infinity.
  var value: Double
  /// True when the text has no fraction and no exponent.
  var isIntegerLiteral: Bool

  /// The number as an integer without `.0`: the literal text for integer literals (exact at
  /// any length), else the value when it is whole and within ±2^53, else nil.
  var integerText: String? {
    if isIntegerLiteral { return text == "-0" ? "0" : text }
    let limit = 9_007_199_254_740_992.0  // 2^53: every whole Double up to here is exact.
    guard value.rounded(.towardZero) == value, abs(value) <= limit else { return nil }
    return String(Int64(value))
  }
}

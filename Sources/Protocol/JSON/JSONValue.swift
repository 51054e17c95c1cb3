/// A JSON value as JavaScript's `JSON.parse` produces it and `JSON.stringify` writes it.
///
/// Numbers are IEEE doubles, as in JavaScript: `JSONParser` rounds every literal exactly like
/// `JSON.parse` does and `JSONWriter` prints it like `Number.prototype.toString`. Objects keep
/// JavaScript's key order (see `JSONObject`), so writing a parsed value reproduces
/// `JSON.stringify(JSON.parse(input))` byte for byte. Equality compares numbers with `==`
/// (so `0 == -0`, and NaN, which JSON cannot carry, is unequal to itself) and objects by key
/// order too.
///
/// Not `indirect`: arrays and objects already hold their elements behind a reference, and an
/// indirect enum boxed every value, numbers and strings included, in its own heap
/// allocation (callgrind: about 40% of the JSON parser's instructions on a REST body).
public enum JSONValue: Sendable, Equatable {
  /// `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// A number; always a double, as in JavaScript. `-0` is kept (it writes as `0`).
  case number(Double)
  /// A string.
  case string(String)
  /// An array.
  case array([JSONValue])
  /// An object, keys in JavaScript's order.
  case object(JSONObject)
}

/// Parses JSON text exactly as JavaScript's `JSON.parse` does, plus bounds and strict UTF-8.
///
/// RFC 8259 grammar without extensions: no comments, trailing commas, leading zeros, `NaN`
/// or single quotes; whitespace is SP, HT, LF, CR and may surround the value. Numbers round
/// to the nearest double like JavaScript (`-0` stays negative zero, `1e400` is infinity).
/// Object keys follow JavaScript's order and duplicate-key rule (see `JSONObject`).
///
/// Two deliberate differences from `JSON.parse`, both because a Swift `String` cannot hold
/// what JavaScript would produce: bytes that are not valid UTF-8 are an error (JavaScript
/// never sees bytes), and an escaped lone surrogate (`"\uD800"`) becomes U+FFFD.
public enum JSONParser {
  /// Parses one JSON document from UTF-8 `bytes`.
  ///
  /// - Parameters:
  ///   - bytes: the complete document; contiguous collections are read in place.
  ///   - limits: input size, nesting and string bounds, checked as soon as they are crossed.
  /// - Throws: `JSONParseError` with the byte offset of the first problem.
  public static func parse(_ bytes: some Collection<UInt8>, limits: JSONLimits = JSONLimits())
    throws(JSONParseError) -> JSONValue
  {
    let result = bytes.withContiguousStorageIfAvailable { buffer in
      Result { () throws(JSONParseError) -> JSONValue in
        try JSONScanner.parse(buffer, limits: limits)
      }
    }
    if let result { return try result.get() }
    guard bytes.count <= limits.maxBytes else { throw JSONScanner.tooLarge(limits) }
    return try Array(bytes).withUnsafeBufferPointer { (buffer) throws(JSONParseError) in
      try JSONScanner.parse(buffer, limits: limits)
    }
  }

  /// Parses one JSON document from `text` (its UTF-8 bytes, read in place when native).
  public static func parse(_ text: String, limits: JSONLimits = JSONLimits())
    throws(JSONParseError) -> JSONValue
  {
    try parse(text.utf8, limits: limits)
  }
}

/// Why `JSONParser` rejected its input, and where.
///
/// Messages follow V8's classic `JSON.parse` wording ("Unexpected token } in JSON at
/// position 12", "Unexpected end of JSON input"). Unlike V8, `offset` counts UTF-8 bytes
/// from the start of the input, not UTF-16 code units.
public struct JSONParseError: Error, Sendable, Equatable {
  /// Byte offset of the offending byte (the input length for a premature end).
  public var offset: Int
  /// Human-readable reason; never contains more than one byte of the input.
  public var message: String

  /// An error at `offset` with `message`.
  public init(offset: Int, message: String) {
    self.offset = offset
    self.message = message
  }

  /// A byte that is not allowed where it appears.
  static func unexpectedByte(_ byte: UInt8, at offset: Int) -> JSONParseError {
    let token: String
    if byte >= 0x21, byte < 0x7F {
      token = String(UnicodeScalar(byte))
    } else {
      let hex = String(byte, radix: 16, uppercase: true)
      token = "0x" + (byte < 0x10 ? "0" + hex : hex)
    }
    return JSONParseError(
      offset: offset, message: "Unexpected token \(token) in JSON at position \(offset)")
  }

  /// The input ended inside a value.
  static func unexpectedEnd(at offset: Int) -> JSONParseError {
    JSONParseError(offset: offset, message: "Unexpected end of JSON input")
  }

  /// A reason with V8's " in JSON at position N" suffix.
  static func at(_ offset: Int, _ reason: String) -> JSONParseError {
    JSONParseError(offset: offset, message: "\(reason) in JSON at position \(offset)")
  }
}

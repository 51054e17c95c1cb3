extension JSONParser {
  /// Parses a string starting at its opening quote and leaves `index` after the closing one.
  mutating func parseString() throws(Failure) -> String {
    index += 1
    let start = index
    // Fast path: no escapes, so the text is a slice of the input.
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        index += 1
        return try validated(bytes[start..<(index - 1)])
      }
      if byte == UInt8(ascii: "\\") { break }
      guard byte >= 0x20 else { throw Failure() }
      index += 1
    }
    var unescaped = Array(bytes[start..<index])
    while index < bytes.count {
      let byte = bytes[index]
      index += 1
      switch byte {
      case UInt8(ascii: "\""):
        return try validated(unescaped[...])
      case UInt8(ascii: "\\"):
        try appendEscape(to: &unescaped)
      case 0..<0x20:
        throw Failure()
      default:
        unescaped.append(byte)
      }
    }
    throw Failure()
  }

  /// The text of `utf8`, refusing invalid UTF-8.
  ///
  /// `String(decoding:)` is the stdlib's fast path; it repairs invalid input with U+FFFD, so
  /// any repair shows as a byte difference. (`String(validating:)` runs unspecialised here
  /// and cost more than the rest of the string parsing.)
  private func validated(_ utf8: ArraySlice<UInt8>) throws(Failure) -> String {
    let text = String(decoding: utf8, as: UTF8.self)
    guard text.utf8.elementsEqual(utf8) else { throw Failure() }
    return text
  }

  /// Resolves the escape after a backslash (RFC 8259 §7), appending its UTF-8.
  private mutating func appendEscape(to output: inout [UInt8]) throws(Failure) {
    guard index < bytes.count else { throw Failure() }
    let byte = bytes[index]
    index += 1
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(byte)
    case UInt8(ascii: "b"): output.append(0x08)
    case UInt8(ascii: "f"): output.append(0x0C)
    case UInt8(ascii: "n"): output.append(0x0A)
    case UInt8(ascii: "r"): output.append(0x0D)
    case UInt8(ascii: "t"): output.append(0x09)
    case UInt8(ascii: "u"):
      var code = try hexQuad()
      if (0xD800..<0xDC00).contains(code) {
        // A high surrogate must be followed by `\u` and a low surrogate.
        guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"),
          bytes[index + 1] == UInt8(ascii: "u")
        else { throw Failure() }
        index += 2
        let low = try hexQuad()
        guard (0xDC00..<0xE000).contains(low) else { throw Failure() }
        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
      }
      guard let scalar = Unicode.Scalar(code) else { throw Failure() }
      if let encoded = UTF8.encode(scalar) { output.append(contentsOf: encoded) }
    default:
      throw Failure()
    }
  }

  private mutating func hexQuad() throws(Failure) -> UInt32 {
    guard bytes.count - index >= 4 else { throw Failure() }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      index += 1
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: throw Failure()
      }
      value = value << 4 | UInt32(digit)
    }
    return value
  }
}

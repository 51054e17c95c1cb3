extension RESPDecoder {
  /// The line starting at `start` up to its CRLF, and the index after the CRLF; nil while
  /// the CRLF has not arrived. A bare CR or LF inside the line is an error, and so is a line
  /// longer than `limits.maxLineLength` (checked as the bytes arrive, CRLF or not).
  func readLine(_ bytes: ArraySlice<UInt8>, from start: Int) throws(RESPParseError)
    -> (ArraySlice<UInt8>, Int)?
  {
    var index = start
    while index < bytes.endIndex {
      let byte = bytes[index]
      if byte == Self.cr {
        guard index + 1 < bytes.endIndex else { return nil }
        guard bytes[index + 1] == Self.lf else { throw .malformed("RESP line has a CR without LF") }
        return (bytes[start..<index], index + 2)
      }
      if byte == Self.lf { throw .malformed("RESP line has an LF without CR") }
      if index - start >= limits.maxLineLength {
        throw .limit("RESP line exceeds the limit of \(limits.maxLineLength) bytes")
      }
      index += 1
    }
    return nil
  }

  /// A length or count: decimal digits, or `-1` (RESP2's null) after `$` and `*`.
  func parseLength(_ line: ArraySlice<UInt8>, of type: UInt8) throws(RESPParseError) -> Int {
    if line.elementsEqual("-1".utf8), type == UInt8(ascii: "$") || type == UInt8(ascii: "*") {
      return -1
    }
    if line.elementsEqual("?".utf8) {
      throw RESPParseError(.unsupported, "streamed RESP3 values are not supported")
    }
    guard !line.isEmpty, line.allSatisfy(Self.isDigit) else {
      throw .malformed("RESP length after \(Self.hex(type)) is not a count: \(Self.excerpt(line))")
    }
    var value = 0
    for digit in line {
      let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = times10.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
      // Too large for any limit; say so in the limit's words.
      guard !overflow1, !overflow2 else {
        throw .limit("RESP length \(Self.excerpt(line)) overflows")
      }
      value = sum
    }
    return value
  }

  /// `:` payload: optional sign and decimal digits within 64 bits.
  func parseInteger(_ line: ArraySlice<UInt8>) throws(RESPParseError) -> Int64 {
    let (negative, digits) = splitSign(line)
    guard !digits.isEmpty, digits.allSatisfy(Self.isDigit) else {
      throw .malformed("RESP integer is not a number: \(Self.excerpt(line))")
    }
    var value: Int64 = 0
    for digit in digits {
      let step = Int64(digit - UInt8(ascii: "0"))
      let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
      // Accumulate towards the sign so that Int64.min is representable.
      let (next, overflow2) =
        negative
        ? times10.subtractingReportingOverflow(step) : times10.addingReportingOverflow(step)
      guard !overflow1, !overflow2 else {
        throw .malformed("RESP integer is out of the 64-bit range: \(Self.excerpt(line))")
      }
      value = next
    }
    return value
  }

  /// `,` payload: `[+-]digits[.digits][(e|E)[+-]digits]`, or `inf`, `-inf`, `nan`.
  func parseDouble(_ line: ArraySlice<UInt8>) throws(RESPParseError) -> Double {
    let text = String(decoding: line, as: UTF8.self)
    switch text {
    case "inf", "+inf": return .infinity
    case "-inf": return -.infinity
    case "nan": return .nan
    default: break
    }
    let (_, unsigned) = splitSign(line)
    var rest = unsigned[...]
    let integral = rest.prefix(while: Self.isDigit)
    rest = rest.dropFirst(integral.count)
    var valid = !integral.isEmpty
    if rest.first == UInt8(ascii: ".") {
      let fraction = rest.dropFirst().prefix(while: Self.isDigit)
      valid = valid && !fraction.isEmpty
      rest = rest.dropFirst(1 + fraction.count)
    }
    if rest.first == UInt8(ascii: "e") || rest.first == UInt8(ascii: "E") {
      let (_, exponent) = splitSign(rest.dropFirst())
      let digits = exponent.prefix(while: Self.isDigit)
      valid = valid && !digits.isEmpty
      rest = exponent.dropFirst(digits.count)
    }
    guard valid, rest.isEmpty, let value = Double(text) else {
      throw .malformed("RESP double is not a number: \(Self.excerpt(line))")
    }
    return value
  }

  /// `(` payload: optional sign and decimal digits of any length.
  func parseBigNumber(_ line: ArraySlice<UInt8>) throws(RESPParseError) -> String {
    let (_, digits) = splitSign(line)
    guard !digits.isEmpty, digits.allSatisfy(Self.isDigit) else {
      throw .malformed("RESP big number is not a number: \(Self.excerpt(line))")
    }
    return String(decoding: line, as: UTF8.self)
  }

  /// Whether a leading `-` is there, and the bytes after an optional `+` or `-`.
  private func splitSign(_ line: ArraySlice<UInt8>) -> (Bool, ArraySlice<UInt8>) {
    switch line.first {
    case UInt8(ascii: "-"): (true, line.dropFirst())
    case UInt8(ascii: "+"): (false, line.dropFirst())
    default: (false, line)
    }
  }

  /// Carriage return, the first byte of RESP's line terminator.
  static let cr = UInt8(ascii: "\r")
  /// Line feed, the second byte of RESP's line terminator.
  static let lf = UInt8(ascii: "\n")

  /// Whether `byte` is an ASCII decimal digit.
  static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  /// `0x2A`: how error messages name a byte.
  static func hex(_ byte: UInt8) -> String {
    let digits = String(byte, radix: 16, uppercase: true)
    return "0x" + (byte < 0x10 ? "0" + digits : digits)
  }

  /// At most 24 bytes of `bytes` for an error message, non-printable bytes as `\xNN`.
  static func excerpt(_ bytes: ArraySlice<UInt8>) -> String {
    var text = "\""
    for byte in bytes.prefix(24) {
      if byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\"") {
        text.unicodeScalars.append(UnicodeScalar(byte))
      } else {
        text += "\\x" + Self.hex(byte).dropFirst(2)
      }
    }
    return text + (bytes.count > 24 ? "…\"" : "\"")
  }
}

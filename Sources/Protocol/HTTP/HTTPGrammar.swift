/// Byte classes and constants of the HTTP/1.1 grammar (RFC 9110 §5.6, RFC 9112 §2–§7).
enum HTTPGrammar {
  static let carriageReturn: UInt8 = 0x0D
  static let lineFeed: UInt8 = 0x0A
  static let space: UInt8 = 0x20
  static let tab: UInt8 = 0x09
  static let colon: UInt8 = 0x3A
  static let comma: UInt8 = 0x2C
  static let semicolon: UInt8 = 0x3B
  static let slash: UInt8 = 0x2F
  static let asterisk: UInt8 = 0x2A

  /// `tchar`: the characters of methods, header names and transfer codings (RFC 9110 §5.6.2).
  @inline(__always)
  static func isToken(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
    case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E:
      return true
    default: return false
    }
  }

  /// `field-vchar`, SP or HTAB: what a header value or chunk extension may hold. Bytes from 0x80
  /// are `obs-text` and allowed; NUL, CR, LF, other controls and DEL are not (RFC 9110 §5.5).
  @inline(__always)
  static func isFieldValue(_ byte: UInt8) -> Bool {
    byte == tab || (byte >= space && byte != 0x7F)
  }

  /// A byte of a request target: visible ASCII only, as URIs are (RFC 3986 §2); clients
  /// percent-encode everything else.
  @inline(__always)
  static func isTarget(_ byte: UInt8) -> Bool {
    byte > space && byte < 0x7F
  }

  /// SP or HTAB, the optional whitespace `OWS` around values.
  @inline(__always)
  static func isWhitespace(_ byte: UInt8) -> Bool {
    byte == space || byte == tab
  }

  /// The value of a hexadecimal digit, or nil.
  @inline(__always)
  static func hexValue(_ byte: UInt8) -> Int? {
    switch byte {
    case 0x30...0x39: return Int(byte - 0x30)
    case 0x41...0x46: return Int(byte - 0x41 + 10)
    case 0x61...0x66: return Int(byte - 0x61 + 10)
    default: return nil
    }
  }

  /// `bytes` without leading and trailing SP and HTAB.
  static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    var start = bytes.startIndex
    var end = bytes.endIndex
    while start < end, isWhitespace(bytes[start]) { start += 1 }
    while end > start, isWhitespace(bytes[end - 1]) { end -= 1 }
    return bytes[start..<end]
  }

  /// Whether `bytes` spell `lowercase` ignoring ASCII case; `lowercase` must be lowercase.
  static func equalsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ lowercase: StaticString) -> Bool {
    guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
    return lowercase.withUTF8Buffer { expected in
      var index = bytes.startIndex
      for byte in expected {
        let actual = bytes[index]
        let folded = actual >= 0x41 && actual <= 0x5A ? actual | 0x20 : actual
        guard folded == byte else { return false }
        index += 1
      }
      return true
    }
  }
}

extension JSONScanner {
  // SWAR masks: a word has a byte that is >= 0x80, < 0x20, `"` or `\` when the matching
  // test below is non-zero (Bit Twiddling Hacks "haszero"/"hasless"; exact for presence).
  private static let ones: UInt64 = 0x0101_0101_0101_0101
  private static let highBits: UInt64 = 0x8080_8080_8080_8080

  @inline(__always)
  private static func needsAttention(_ word: UInt64) -> Bool {
    let quote = word ^ (ones &* 0x22)
    let backslash = word ^ (ones &* 0x5C)
    let control = (word &- ones &* 0x20) & ~word
    let hasQuote = (quote &- ones) & ~quote
    let hasBackslash = (backslash &- ones) & ~backslash
    return (word | control | hasQuote | hasBackslash) & highBits != 0
  }

  /// Parses a string literal; `position` is at the opening quote. Strings without escapes are
  /// validated in place and copied once; escapes go through `scratch`.
  mutating func parseString() throws(JSONParseError) -> String {
    position += 1
    let contentStart = position
    // A run longer than this cannot be accepted; scanning stops there.
    let scanEnd =
      limits.maxStringBytes < end - contentStart ? contentStart + limits.maxStringBytes + 1 : end
    while position < scanEnd {
      if position + 8 <= scanEnd,
        !Self.needsAttention(UnsafeRawPointer(start + position).loadUnaligned(as: UInt64.self))
      {
        position += 8
        continue
      }
      let byte = start[position]
      if byte == UInt8(ascii: "\"") {
        let length = position - contentStart
        guard length <= limits.maxStringBytes else { throw stringTooLong(contentStart) }
        position += 1
        return String(
          decoding: UnsafeBufferPointer(start: start + contentStart, count: length), as: UTF8.self)
      }
      if byte == UInt8(ascii: "\\") { return try parseEscapedString(from: contentStart) }
      if byte < 0x20 { throw badControlCharacter() }
      if byte < 0x80 {
        position += 1
      } else {
        try skipUTF8Sequence()
      }
    }
    if position < end { throw stringTooLong(contentStart) }
    throw .at(end, "Unterminated string")
  }

  /// Slow path once a backslash was seen: copies runs and decoded escapes into `scratch`.
  private mutating func parseEscapedString(from contentStart: Int) throws(JSONParseError)
    -> String
  {
    scratch.removeAll(keepingCapacity: true)
    var runStart = contentStart
    while position < end {
      let byte = start[position]
      if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
        scratch.append(
          contentsOf: UnsafeBufferPointer(start: start + runStart, count: position - runStart))
        guard scratch.count <= limits.maxStringBytes else { throw stringTooLong(contentStart) }
        if byte == UInt8(ascii: "\"") {
          position += 1
          return String(decoding: scratch, as: UTF8.self)
        }
        try appendEscape()
        guard scratch.count <= limits.maxStringBytes else { throw stringTooLong(contentStart) }
        runStart = position
      } else if byte < 0x20 {
        throw badControlCharacter()
      } else if byte < 0x80 {
        position += 1
      } else {
        try skipUTF8Sequence()
      }
      if position - runStart + scratch.count > limits.maxStringBytes {
        throw stringTooLong(contentStart)
      }
    }
    throw .at(end, "Unterminated string")
  }

  /// Decodes one escape at `position` (the backslash) into `scratch`.
  private mutating func appendEscape() throws(JSONParseError) {
    let escapeStart = position
    position += 1
    guard position < end else { throw .at(end, "Unterminated string") }
    let byte = start[position]
    position += 1
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(byte)
    case UInt8(ascii: "b"): scratch.append(0x08)
    case UInt8(ascii: "f"): scratch.append(0x0C)
    case UInt8(ascii: "n"): scratch.append(0x0A)
    case UInt8(ascii: "r"): scratch.append(0x0D)
    case UInt8(ascii: "t"): scratch.append(0x09)
    case UInt8(ascii: "u"):
      let unit = try readHexUnit()
      switch unit {
      case 0xD800...0xDBFF:
        if let low = peekLowSurrogateEscape() {
          position += 6
          appendScalar(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00))
        } else {
          appendScalar(0xFFFD)  // lone high surrogate: not representable in a Swift String
        }
      case 0xDC00...0xDFFF:
        appendScalar(0xFFFD)  // lone low surrogate
      default:
        appendScalar(UInt32(unit))
      }
    default:
      throw .at(escapeStart + 1, "Bad escaped character")
    }
  }

  /// Reads the four hex digits after `\u`.
  private mutating func readHexUnit() throws(JSONParseError) -> UInt16 {
    var unit: UInt16 = 0
    for _ in 0..<4 {
      guard position < end else { throw .at(end, "Unterminated string") }
      guard let digit = Self.hexValue(start[position]) else {
        throw .at(position, "Bad Unicode escape")
      }
      unit = unit << 4 | UInt16(digit)
      position += 1
    }
    return unit
  }

  /// The code unit of a `\uDC00`...`\uDFFF` escape right at `position`, without consuming it.
  private func peekLowSurrogateEscape() -> UInt16? {
    guard position + 6 <= end, start[position] == UInt8(ascii: "\\"),
      start[position + 1] == UInt8(ascii: "u")
    else { return nil }
    var unit: UInt16 = 0
    for offset in 2..<6 {
      guard let digit = Self.hexValue(start[position + offset]) else { return nil }
      unit = unit << 4 | UInt16(digit)
    }
    return (0xDC00...0xDFFF).contains(unit) ? unit : nil
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }

  /// Appends `scalar` (never a surrogate) to `scratch` as UTF-8.
  private mutating func appendScalar(_ scalar: UInt32) {
    switch scalar {
    case ..<0x80:
      scratch.append(UInt8(scalar))
    case ..<0x800:
      scratch.append(UInt8(0xC0 | scalar >> 6))
      scratch.append(UInt8(0x80 | scalar & 0x3F))
    case ..<0x10000:
      scratch.append(UInt8(0xE0 | scalar >> 12))
      scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
      scratch.append(UInt8(0x80 | scalar & 0x3F))
    default:
      scratch.append(UInt8(0xF0 | scalar >> 18))
      scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
      scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
      scratch.append(UInt8(0x80 | scalar & 0x3F))
    }
  }

  /// Steps over one well-formed multi-byte UTF-8 sequence at `position` (Unicode 15 table
  /// 3-7: no overlongs, no surrogates, nothing above U+10FFFF), or throws at the bad byte.
  private mutating func skipUTF8Sequence() throws(JSONParseError) {
    let lead = start[position]
    let continuationCount: Int
    var secondRange: ClosedRange<UInt8> = 0x80...0xBF
    switch lead {
    case 0xC2...0xDF: continuationCount = 1
    case 0xE0: (continuationCount, secondRange) = (2, 0xA0...0xBF)
    case 0xE1...0xEC, 0xEE...0xEF: continuationCount = 2
    case 0xED: (continuationCount, secondRange) = (2, 0x80...0x9F)
    case 0xF0: (continuationCount, secondRange) = (3, 0x90...0xBF)
    case 0xF1...0xF3: continuationCount = 3
    case 0xF4: (continuationCount, secondRange) = (3, 0x80...0x8F)
    default: throw .at(position, "Invalid UTF-8")
    }
    for offset in 1...continuationCount {
      let index = position + offset
      guard index < end else { throw .at(index, "Invalid UTF-8") }
      let range = offset == 1 ? secondRange : 0x80...0xBF
      guard range.contains(start[index]) else { throw .at(index, "Invalid UTF-8") }
    }
    position += continuationCount + 1
  }

  private func badControlCharacter() -> JSONParseError {
    .at(position, "Bad control character in string literal")
  }

  private func stringTooLong(_ contentStart: Int) -> JSONParseError {
    .at(contentStart - 1, "String longer than \(limits.maxStringBytes) bytes")
  }
}

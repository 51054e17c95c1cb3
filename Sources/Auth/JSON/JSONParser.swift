/// A strict RFC 8259 parser over UTF-8 bytes, bounded in nesting depth.
///
/// It refuses what a lenient parser would guess at: trailing commas, comments, leading zeros,
/// unescaped control characters, lone surrogates, invalid UTF-8, duplicate member names and
/// numbers that overflow a `Double`.
struct JSONParser {
  /// Any reason the bytes are not acceptable JSON; callers map it to their own error.
  struct Failure: Error {}

  /// How deep arrays and objects may nest: JOSE headers, claims and JWK Sets are shallow, and
  /// the bound keeps the recursion's stack use small.
  static let maxDepth = 32

  let bytes: [UInt8]
  var index = 0
  private var depth = 0

  private init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  /// Parses one JSON text (a value with optional surrounding whitespace).
  /// - Returns: the value, or nil if the bytes are not a single well-formed JSON text.
  static func parse(_ bytes: [UInt8]) -> JSONValue? {
    var parser = JSONParser(bytes: bytes)
    do {
      let value = try parser.parseValue()
      parser.skipWhitespace()
      return parser.index == bytes.count ? value : nil
    } catch {
      return nil
    }
  }

  private mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  private mutating func parseValue() throws(Failure) -> JSONValue {
    skipWhitespace()
    guard index < bytes.count else { throw Failure() }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): try expect("true"); return .bool(true)
    case UInt8(ascii: "f"): try expect("false"); return .bool(false)
    case UInt8(ascii: "n"): try expect("null"); return .null
    default: return .number(try parseNumber())
    }
  }

  private mutating func expect(_ word: StaticString) throws(Failure) {
    let count = word.utf8CodeUnitCount
    guard bytes.count - index >= count else { throw Failure() }
    for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
      throw Failure()
    }
    index += count
  }

  private mutating func enterContainer() throws(Failure) {
    depth += 1
    guard depth <= Self.maxDepth else { throw Failure() }
    index += 1
  }

  private mutating func parseObject() throws(Failure) -> JSONValue {
    try enterContainer()
    var members = JSONObject()
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      depth -= 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw Failure() }
      let name = try parseString()
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw Failure() }
      index += 1
      let value = try parseValue()
      guard members.insert(name, value) else { throw Failure() }
      skipWhitespace()
      guard index < bytes.count else { throw Failure() }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
      } else if bytes[index] == UInt8(ascii: "}") {
        index += 1
        depth -= 1
        return .object(members)
      } else {
        throw Failure()
      }
    }
  }

  private mutating func parseArray() throws(Failure) -> JSONValue {
    try enterContainer()
    var elements: [JSONValue] = []
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      depth -= 1
      return .array(elements)
    }
    while true {
      elements.append(try parseValue())
      skipWhitespace()
      guard index < bytes.count else { throw Failure() }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
      } else if bytes[index] == UInt8(ascii: "]") {
        index += 1
        depth -= 1
        return .array(elements)
      } else {
        throw Failure()
      }
    }
  }

  private mutating func parseNumber() throws(Failure) -> JSONNumber {
    let start = index
    var isInteger = true
    if peek() == UInt8(ascii: "-") { index += 1 }
    if peek() == UInt8(ascii: "0") {
      index += 1
    } else {
      guard try skipDigits() > 0 else { throw Failure() }
    }
    if peek() == UInt8(ascii: ".") {
      isInteger = false
      index += 1
      guard try skipDigits() > 0 else { throw Failure() }
    }
    if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
      isInteger = false
      index += 1
      if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
      guard try skipDigits() > 0 else { throw Failure() }
    }
    let text = String(decoding: bytes[start..<index], as: UTF8.self)
    guard let value = Double(text), value.isFinite else { throw Failure() }
    return JSONNumber(text: text, value: value, isIntegerLiteral: isInteger)
  }

  private func peek() -> UInt8? {
    index < bytes.count ? bytes[index] : nil
  }

  private mutating func skipDigits() throws(Failure) -> Int {
    let start = index
    while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { index += 1 }
    return index - start
  }
}

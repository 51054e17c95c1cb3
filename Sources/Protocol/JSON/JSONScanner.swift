/// The parser's state over one contiguous input: a cursor plus an explicit stack of open
/// containers (no recursion, so `maxDepth` is the only bound on nesting and a large limit
/// cannot overflow the call stack).
///
/// Elements of open containers wait in `pendingValues` / `pendingKeys`; closing a
/// container moves its tail out in one step.
struct JSONScanner {
  /// One open array or object.
  private struct Frame {
    var isObject: Bool
    /// Index in `pendingValues` of this container's first element.
    var valueStart: Int
    /// Index in `pendingKeys` of this object's first key.
    var keyStart: Int
  }

  let start: UnsafePointer<UInt8>
  let end: Int
  let limits: JSONLimits
  var position = 0
  /// Reused buffer for strings with escapes.
  var scratch: [UInt8] = []
  private var frames: [Frame] = []
  private var pendingValues: [JSONValue] = []
  private var pendingKeys: [String] = []

  private init(start: UnsafePointer<UInt8>, count: Int, limits: JSONLimits) {
    self.start = start
    self.end = count
    self.limits = limits
    // One allocation each for the usual small document (a REST body, a Socket.IO event)
    // instead of regrowing 1 -> 2 -> 4 -> 8 (callgrind: ~2,500 instructions per parse).
    frames.reserveCapacity(8)
    pendingValues.reserveCapacity(16)
    pendingKeys.reserveCapacity(16)
  }

  /// Parses the whole of `buffer` as one document.
  static func parse(_ buffer: UnsafeBufferPointer<UInt8>, limits: JSONLimits)
    throws(JSONParseError) -> JSONValue
  {
    guard buffer.count <= limits.maxBytes else { throw tooLarge(limits) }
    guard let start = buffer.baseAddress, !buffer.isEmpty else { throw .unexpectedEnd(at: 0) }
    var scanner = JSONScanner(start: start, count: buffer.count, limits: limits)
    return try scanner.parseDocument()
  }

  /// The error for input above `limits.maxBytes`.
  static func tooLarge(_ limits: JSONLimits) -> JSONParseError {
    JSONParseError(
      offset: limits.maxBytes, message: "JSON input exceeds the limit of \(limits.maxBytes) bytes")
  }

  private mutating func parseDocument() throws(JSONParseError) -> JSONValue {
    var value: JSONValue
    nextValue: while true {
      skipWhitespace()
      guard position < end else { throw .unexpectedEnd(at: position) }
      let byte = start[position]
      switch byte {
      case UInt8(ascii: "{"):
        try open(isObject: true)
        skipWhitespace()
        if position < end, start[position] == UInt8(ascii: "}") {
          position += 1
          value = closeObject()
        } else {
          try parseKeyAndColon()
          continue nextValue
        }
      case UInt8(ascii: "["):
        try open(isObject: false)
        skipWhitespace()
        if position < end, start[position] == UInt8(ascii: "]") {
          position += 1
          value = closeArray()
        } else {
          continue nextValue
        }
      case UInt8(ascii: "\""):
        value = .string(try parseString())
      case UInt8(ascii: "t"):
        try expectLiteral("true")
        value = .bool(true)
      case UInt8(ascii: "f"):
        try expectLiteral("false")
        value = .bool(false)
      case UInt8(ascii: "n"):
        try expectLiteral("null")
        value = .null
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        value = .number(try parseNumber())
      default:
        throw .unexpectedByte(byte, at: position)
      }
      // A value is complete: hand it to the enclosing containers, closing as many as end here.
      while let frame = frames.last {
        pendingValues.append(value)
        skipWhitespace()
        guard position < end else { throw .unexpectedEnd(at: position) }
        let separator = start[position]
        position += 1
        if separator == UInt8(ascii: ",") {
          if frame.isObject {
            skipWhitespace()
            try parseKeyAndColon()
          }
          continue nextValue
        }
        if frame.isObject, separator == UInt8(ascii: "}") {
          value = closeObject()
        } else if !frame.isObject, separator == UInt8(ascii: "]") {
          value = closeArray()
        } else {
          throw .unexpectedByte(separator, at: position - 1)
        }
      }
      skipWhitespace()
      guard position == end else { throw .unexpectedByte(start[position], at: position) }
      return value
    }
  }

  private mutating func open(isObject: Bool) throws(JSONParseError) {
    guard frames.count < limits.maxDepth else {
      throw .at(position, "Maximum nesting depth of \(limits.maxDepth) exceeded")
    }
    frames.append(
      Frame(isObject: isObject, valueStart: pendingValues.count, keyStart: pendingKeys.count))
    position += 1
  }

  private mutating func closeArray() -> JSONValue {
    let frame = frames.removeLast()
    return .array(Self.takeTail(of: &pendingValues, from: frame.valueStart))
  }

  private mutating func closeObject() -> JSONValue {
    let frame = frames.removeLast()
    let object = JSONObject(
      keys: Self.takeTail(of: &pendingKeys, from: frame.keyStart),
      values: Self.takeTail(of: &pendingValues, from: frame.valueStart))
    return .object(object)
  }

  /// The elements from `start` on, removed from `pending`. When they are all of it (the
  /// outermost container, or the first one opened inside it) the buffer itself is taken:
  /// an `Array` made of a whole-array slice shares its storage, so the removal after it had
  /// to copy, two allocations per container for nothing (perf uprobes on malloc).
  private static func takeTail<Element>(of pending: inout [Element], from start: Int) -> [Element] {
    if start == 0 {
      defer { pending = [] }
      return pending
    }
    let tail = Array(pending[start...])
    pending.removeSubrange(start...)
    return tail
  }

  /// Reads `"key"` and `:` with the whitespace between; position is at the key's quote.
  private mutating func parseKeyAndColon() throws(JSONParseError) {
    guard position < end else { throw .unexpectedEnd(at: position) }
    guard start[position] == UInt8(ascii: "\"") else {
      throw .unexpectedByte(start[position], at: position)
    }
    pendingKeys.append(try parseString())
    skipWhitespace()
    guard position < end else { throw .unexpectedEnd(at: position) }
    guard start[position] == UInt8(ascii: ":") else {
      throw .unexpectedByte(start[position], at: position)
    }
    position += 1
  }

  private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
    let bytes = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
    for expected in bytes {
      guard position < end else { throw .unexpectedEnd(at: position) }
      guard start[position] == expected else {
        throw .unexpectedByte(start[position], at: position)
      }
      position += 1
    }
  }

  private mutating func skipWhitespace() {
    while position < end {
      switch start[position] {
      case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
        position += 1
      default:
        return
      }
    }
  }
}

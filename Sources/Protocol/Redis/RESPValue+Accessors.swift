extension RESPValue {
  /// The text of a simple, bulk or verbatim string (bytes decoded as UTF-8, invalid
  /// sequences replaced), or nil for any other value.
  public var string: String? {
    switch self {
    case .simpleString(let text): text
    case .bulkString(let bytes): String(decoding: bytes, as: UTF8.self)
    case .verbatimString(_, let text): String(decoding: text, as: UTF8.self)
    default: nil
    }
  }

  /// The bytes of a bulk, simple or verbatim string, or nil for any other value.
  public var bytes: [UInt8]? {
    switch self {
    case .bulkString(let bytes): bytes
    case .simpleString(let text): Array(text.utf8)
    case .verbatimString(_, let text): text
    default: nil
    }
  }

  /// The number of an integer reply, or nil.
  public var integer: Int64? {
    if case .integer(let number) = self { number } else { nil }
  }

  /// The message of an error reply, or nil when the value is not an error.
  public var errorMessage: String? {
    if case .error(let message) = self { message } else { nil }
  }

  /// The elements of an array, set or push, or nil for any other value.
  public var elements: [RESPValue]? {
    switch self {
    case .array(let elements), .set(let elements), .push(let elements): elements
    default: nil
    }
  }
}

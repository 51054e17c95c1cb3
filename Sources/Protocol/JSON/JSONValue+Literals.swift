// Literal conformances so callers and tests can write `["hey", 1, ["a": true]]` as a
// `JSONValue`. There is deliberately no `ExpressibleByNilLiteral`: `nil` must keep meaning
// "absent" for `JSONValue?` properties such as `SocketIOPacket.data`; write `.null` instead.

extension JSONValue: ExpressibleByStringLiteral {
  /// A `.string` value.
  public init(stringLiteral value: String) {
    self = .string(value)
  }
}

extension JSONValue: ExpressibleByIntegerLiteral {
  /// A `.number` value (integers above 2^53 round like in JavaScript).
  public init(integerLiteral value: Int) {
    self = .number(Double(value))
  }
}

extension JSONValue: ExpressibleByFloatLiteral {
  /// A `.number` value.
  public init(floatLiteral value: Double) {
    self = .number(value)
  }
}

extension JSONValue: ExpressibleByBooleanLiteral {
  /// A `.bool` value.
  public init(booleanLiteral value: Bool) {
    self = .bool(value)
  }
}

extension JSONValue: ExpressibleByArrayLiteral {
  /// An `.array` value.
  public init(arrayLiteral elements: JSONValue...) {
    self = .array(elements)
  }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
  /// An `.object` value; keys keep the literal's order (subject to `JSONObject`'s rules).
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self = .object(JSONObject(elements))
  }
}

extension JSONValue {
  /// The string, if this is a string.
  public var stringValue: String? {
    if case .string(let string) = self { return string }
    return nil
  }

  /// The number, if this is a number.
  public var numberValue: Double? {
    if case .number(let number) = self { return number }
    return nil
  }

  /// The boolean, if this is `true` or `false`.
  public var boolValue: Bool? {
    if case .bool(let bool) = self { return bool }
    return nil
  }

  /// The elements, if this is an array.
  public var arrayValue: [JSONValue]? {
    if case .array(let array) = self { return array }
    return nil
  }

  /// The object, if this is an object.
  public var objectValue: JSONObject? {
    if case .object(let object) = self { return object }
    return nil
  }

  /// Whether this is `null`.
  public var isNull: Bool { self == .null }

  /// The value under `key` when this is an object holding it; nil otherwise.
  public subscript(key: String) -> JSONValue? {
    objectValue?[key]
  }
}

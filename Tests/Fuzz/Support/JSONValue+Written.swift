import Protocol

extension JSONValue {
  /// The value `JSON.parse(JSON.stringify(value))` gives back: non-finite numbers (from
  /// literals like `1e400`) become `null`, as `JSONWriter` writes them; everything else is
  /// unchanged (`-0` already equals `0`).
  var written: JSONValue {
    switch self {
    case .number(let number) where !number.isFinite:
      return .null
    case .array(let elements):
      return .array(elements.map(\.written))
    case .object(let object):
      var result = JSONObject()
      for (key, member) in object { result[key] = member.written }
      return .object(result)
    case .null, .bool, .number, .string:
      return self
    }
  }
}

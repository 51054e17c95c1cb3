/// Binary placeholders: `{"_placeholder":true,"num":N}` stands for attachment N
/// (protocol.md §2.5).
///
/// Like the JS parser's `_reconstructPacket`, any object whose `_placeholder` is `true` is a
/// placeholder (extra keys are ignored) and its `num` must name an existing attachment;
/// other objects are ordinary data and are searched recursively.
public enum SocketIOPlaceholders {
  /// Whether `value` is an object with `"_placeholder": true` and a non-negative integer
  /// `num`.
  public static func isPlaceholder(_ value: JSONValue) -> Bool {
    guard case .object(let object) = value, object["_placeholder"] == .bool(true) else {
      return false
    }
    return attachmentIndex(object) != nil
  }

  /// The placeholder for attachment `number`, keys in the JS order.
  public static func placeholder(_ number: Int) -> JSONValue {
    .object(JSONObject([("_placeholder", .bool(true)), ("num", .number(Double(number)))]))
  }

  /// Checks that every placeholder in `value` names one of `attachmentCount` attachments.
  public static func validate(_ value: JSONValue, attachmentCount: Int)
    throws(SocketIOParseError)
  {
    switch value {
    case .array(let elements):
      for element in elements { try validate(element, attachmentCount: attachmentCount) }
    case .object(let object):
      if object["_placeholder"] == .bool(true) {
        _ = try index(of: object, attachmentCount: attachmentCount)
      } else {
        for (_, member) in object { try validate(member, attachmentCount: attachmentCount) }
      }
    case .null, .bool, .number, .string:
      break
    }
  }

  /// Renumbers the placeholders of `value` 0, 1, 2... in depth-first order (arrays in order,
  /// objects in key order) and returns the attachments in that new order. Used when a
  /// received value with binaries is re-sent inside another value; a placeholder that occurs
  /// twice yields its attachment twice, as the JS encoder would for a repeated Buffer.
  ///
  /// - Throws: when a placeholder's `num` does not name one of `attachments`.
  public static func renumber(_ value: JSONValue, attachments: [[UInt8]])
    throws(SocketIOParseError) -> (JSONValue, [[UInt8]])
  {
    var ordered: [[UInt8]] = []
    let renumbered = try renumber(value, attachments: attachments, into: &ordered)
    return (renumbered, ordered)
  }

  private static func renumber(
    _ value: JSONValue, attachments: [[UInt8]], into ordered: inout [[UInt8]]
  ) throws(SocketIOParseError) -> JSONValue {
    switch value {
    case .array(let elements):
      var result: [JSONValue] = []
      result.reserveCapacity(elements.count)
      for element in elements {
        result.append(try renumber(element, attachments: attachments, into: &ordered))
      }
      return .array(result)
    case .object(let object):
      if object["_placeholder"] == .bool(true) {
        let index = try index(of: object, attachmentCount: attachments.count)
        ordered.append(attachments[index])
        return placeholder(ordered.count - 1)
      }
      var result = object
      for (key, member) in object {
        result[key] = try renumber(member, attachments: attachments, into: &ordered)
      }
      return .object(result)
    case .null, .bool, .number, .string:
      return value
    }
  }

  private static func index(of placeholder: JSONObject, attachmentCount: Int)
    throws(SocketIOParseError) -> Int
  {
    guard let index = attachmentIndex(placeholder), index < attachmentCount else {
      throw SocketIOParseError(message: "illegal attachments")
    }
    return index
  }

  private static func attachmentIndex(_ placeholder: JSONObject) -> Int? {
    guard case .number(let number)? = placeholder["num"], number >= 0,
      number < Double(Int32.max), Double(Int(number)) == number
    else { return nil }
    return Int(number)
  }
}

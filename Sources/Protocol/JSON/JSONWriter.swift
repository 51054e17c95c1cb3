/// Writes JSON exactly as JavaScript's `JSON.stringify` does with no indentation.
///
/// No spaces; object keys in `JSONObject` order; strings escape only `"`, `\` and control
/// characters (`\b \f \n \r \t`, others as lowercase `\u00xx`), so `/` and all non-ASCII
/// characters are written raw; numbers as `Number.prototype.toString` prints them
/// (`JSONNumberFormatter`), with NaN and infinities as `null`.
///
/// The writer recurses once per nesting level; values from `JSONParser` are bounded by
/// `JSONLimits.maxDepth`.
public enum JSONWriter {
  /// Appends the JSON text of `value` to `output`.
  public static func write(_ value: JSONValue, into output: inout [UInt8]) {
    switch value {
    case .null:
      output.append(contentsOf: "null".utf8)
    case .bool(let bool):
      output.append(contentsOf: bool ? "true".utf8 : "false".utf8)
    case .number(let number):
      JSONNumberFormatter.write(number, into: &output)
    case .string(let string):
      writeString(string, into: &output)
    case .array(let elements):
      output.append(UInt8(ascii: "["))
      for (index, element) in elements.enumerated() {
        if index > 0 { output.append(UInt8(ascii: ",")) }
        write(element, into: &output)
      }
      output.append(UInt8(ascii: "]"))
    case .object(let object):
      output.append(UInt8(ascii: "{"))
      var isFirst = true
      for (key, member) in object {
        if !isFirst { output.append(UInt8(ascii: ",")) }
        isFirst = false
        writeString(key, into: &output)
        output.append(UInt8(ascii: ":"))
        write(member, into: &output)
      }
      output.append(UInt8(ascii: "}"))
    }
  }

  /// The JSON text of `value`.
  public static func string(_ value: JSONValue) -> String {
    var output: [UInt8] = []
    write(value, into: &output)
    return String(decoding: output, as: UTF8.self)
  }

  /// Appends a JSON string literal for `string` with JSON.stringify's escaping.
  public static func writeString(_ string: String, into output: inout [UInt8]) {
    output.append(UInt8(ascii: "\""))
    let handled: Void? = string.utf8.withContiguousStorageIfAvailable { bytes in
      appendEscaped(bytes, into: &output)
    }
    if handled == nil {
      appendEscaped(Array(string.utf8), into: &output)
    }
    output.append(UInt8(ascii: "\""))
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)

  /// Copies runs that need no escaping in one append each.
  private static func appendEscaped(
    _ bytes: some RandomAccessCollection<UInt8>, into output: inout [UInt8]
  ) {
    var runStart = bytes.startIndex
    var index = bytes.startIndex
    while index != bytes.endIndex {
      let byte = bytes[index]
      guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
        bytes.formIndex(after: &index)
        continue
      }
      output.append(contentsOf: bytes[runStart..<index])
      output.append(UInt8(ascii: "\\"))
      switch byte {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(byte)
      case 0x08: output.append(UInt8(ascii: "b"))
      case 0x0C: output.append(UInt8(ascii: "f"))
      case 0x0A: output.append(UInt8(ascii: "n"))
      case 0x0D: output.append(UInt8(ascii: "r"))
      case 0x09: output.append(UInt8(ascii: "t"))
      default:
        output.append(contentsOf: "u00".utf8)
        output.append(hexDigits[Int(byte >> 4)])
        output.append(hexDigits[Int(byte & 0x0F)])
      }
      bytes.formIndex(after: &index)
      runStart = index
    }
    output.append(contentsOf: bytes[runStart..<index])
  }
}

extension JSONValue: CustomStringConvertible {
  /// The value's JSON text, as `JSON.stringify` writes it.
  public var description: String { JSONWriter.string(self) }
}

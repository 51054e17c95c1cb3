/// Writes RESP into a caller-owned buffer: commands as a client sends them, and any
/// `RESPValue` as a RESP3 server would (for tests, fakes and round trips).
///
/// ```
/// *3\r\n $3\r\nSET\r\n $1\r\nk\r\n $1\r\nv\r\n      encodeCommand(["SET", "k", "v"])
/// ```
///
/// Several commands appended one after another into the same buffer form a pipeline.
public enum RESPEncoder {
  /// Appends `arguments` (command name first) as an array of bulk strings.
  public static func encodeCommand(_ arguments: [String], into buffer: inout [UInt8]) {
    writeHeader(UInt8(ascii: "*"), arguments.count, into: &buffer)
    for argument in arguments {
      writeHeader(UInt8(ascii: "$"), argument.utf8.count, into: &buffer)
      buffer.append(contentsOf: argument.utf8)
      buffer.append(contentsOf: crlf)
    }
  }

  /// Appends binary `arguments` (command name first) as an array of bulk strings.
  public static func encodeCommand(_ arguments: [[UInt8]], into buffer: inout [UInt8]) {
    writeHeader(UInt8(ascii: "*"), arguments.count, into: &buffer)
    for argument in arguments {
      writeBulk(argument, into: &buffer)
    }
  }

  /// Appends `value` in RESP3 (`_` for null, `%` for maps).
  ///
  /// Simple strings and big numbers cannot hold CR or LF: such bytes are written as spaces.
  /// An error holding them is written as a blob error (`!`). A verbatim format that is not
  /// three ASCII bytes is written as `txt`.
  public static func encode(_ value: RESPValue, into buffer: inout [UInt8]) {
    switch value {
    case .simpleString(let text):
      writeLine(UInt8(ascii: "+"), text, into: &buffer)
    case .error(let message):
      if message.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }) {
        buffer.append(UInt8(ascii: "!"))
        writeBulkBody(Array(message.utf8), into: &buffer)
      } else {
        writeLine(UInt8(ascii: "-"), message, into: &buffer)
      }
    case .integer(let number):
      writeLine(UInt8(ascii: ":"), String(number), into: &buffer)
    case .bulkString(let bytes):
      writeBulk(bytes, into: &buffer)
    case .null:
      buffer.append(contentsOf: "_\r\n".utf8)
    case .array(let elements):
      writeAggregate(UInt8(ascii: "*"), elements, into: &buffer)
    case .set(let elements):
      writeAggregate(UInt8(ascii: "~"), elements, into: &buffer)
    case .push(let elements):
      writeAggregate(UInt8(ascii: ">"), elements, into: &buffer)
    case .map(let entries):
      writeHeader(UInt8(ascii: "%"), entries.count, into: &buffer)
      for entry in entries {
        encode(entry.key, into: &buffer)
        encode(entry.value, into: &buffer)
      }
    case .double(let number):
      writeLine(UInt8(ascii: ","), text(of: number), into: &buffer)
    case .boolean(let flag):
      buffer.append(contentsOf: flag ? "#t\r\n".utf8 : "#f\r\n".utf8)
    case .bigNumber(let digits):
      writeLine(UInt8(ascii: "("), digits, into: &buffer)
    case .verbatimString(let format, let text):
      let prefix = Array(format.utf8)
      let valid = prefix.count == 3 && prefix.allSatisfy { $0 < 0x80 }
      buffer.append(UInt8(ascii: "="))
      writeBulkBody(
        (valid ? prefix : Array("txt".utf8)) + [UInt8(ascii: ":")] + text, into: &buffer)
    }
  }

  /// `inf`, `-inf`, `nan`, or the shortest decimal that reads back as `number`.
  static func text(of number: Double) -> String {
    if number.isNaN { return "nan" }
    if number.isInfinite { return number < 0 ? "-inf" : "inf" }
    return number.description
  }

  private static let crlf: [UInt8] = [0x0D, 0x0A]

  private static func writeHeader(_ type: UInt8, _ count: Int, into buffer: inout [UInt8]) {
    buffer.append(type)
    buffer.append(contentsOf: String(count).utf8)
    buffer.append(contentsOf: crlf)
  }

  private static func writeBulk(_ bytes: [UInt8], into buffer: inout [UInt8]) {
    buffer.append(UInt8(ascii: "$"))
    writeBulkBody(bytes, into: &buffer)
  }

  /// `<length>\r\n<bytes>\r\n`, after the type byte.
  private static func writeBulkBody(_ bytes: [UInt8], into buffer: inout [UInt8]) {
    buffer.append(contentsOf: String(bytes.count).utf8)
    buffer.append(contentsOf: crlf)
    buffer.append(contentsOf: bytes)
    buffer.append(contentsOf: crlf)
  }

  /// A one-line value, CR and LF replaced by spaces so the line cannot end early.
  private static func writeLine(_ type: UInt8, _ text: String, into buffer: inout [UInt8]) {
    buffer.append(type)
    for byte in text.utf8 {
      buffer.append(byte == 0x0D || byte == 0x0A ? UInt8(ascii: " ") : byte)
    }
    buffer.append(contentsOf: crlf)
  }

  private static func writeAggregate(
    _ type: UInt8, _ elements: [RESPValue], into buffer: inout [UInt8]
  ) {
    writeHeader(type, elements.count, into: &buffer)
    for element in elements {
      encode(element, into: &buffer)
    }
  }
}

extension RESPDecoder {
  /// What one type byte and its header introduce.
  enum Item: Sendable {
    /// A complete non-aggregate value.
    case value(RESPValue)
    /// The header of an aggregate with `count` elements (pairs for maps and attributes).
    case aggregate(AggregateKind, count: Int)
  }

  /// Parses the item starting at index `start` of `bytes`; returns it with the index just
  /// past it, or nil when it is not complete yet.
  func parseItem(_ bytes: ArraySlice<UInt8>, at start: Int) throws(RESPParseError)
    -> (Item, Int)?
  {
    guard start < bytes.endIndex else { return nil }
    let type = bytes[start]
    guard let (line, lineEnd) = try readLine(bytes, from: start + 1) else { return nil }
    switch type {
    case UInt8(ascii: "+"):
      return (.value(.simpleString(String(decoding: line, as: UTF8.self))), lineEnd)
    case UInt8(ascii: "-"):
      return (.value(.error(String(decoding: line, as: UTF8.self))), lineEnd)
    case UInt8(ascii: ":"):
      return (.value(.integer(try parseInteger(line))), lineEnd)
    case UInt8(ascii: "_"):
      guard line.isEmpty else { throw .malformed("RESP null carries data: \(Self.excerpt(line))") }
      return (.value(.null), lineEnd)
    case UInt8(ascii: ","):
      return (.value(.double(try parseDouble(line))), lineEnd)
    case UInt8(ascii: "#"):
      switch line.first {
      case UInt8(ascii: "t") where line.count == 1: return (.value(.boolean(true)), lineEnd)
      case UInt8(ascii: "f") where line.count == 1: return (.value(.boolean(false)), lineEnd)
      default: throw .malformed("RESP boolean is neither t nor f: \(Self.excerpt(line))")
      }
    case UInt8(ascii: "("):
      return (.value(.bigNumber(try parseBigNumber(line))), lineEnd)
    case UInt8(ascii: "$"), UInt8(ascii: "!"), UInt8(ascii: "="):
      return try parseBlob(type: type, header: line, bytes, payloadStart: lineEnd)
    case UInt8(ascii: "*"), UInt8(ascii: "%"), UInt8(ascii: "~"), UInt8(ascii: ">"),
      UInt8(ascii: "|"):
      return try parseAggregateHeader(type: type, header: line, end: lineEnd)
    default:
      throw .malformed("unknown RESP type byte \(Self.hex(type))")
    }
  }

  /// A `$`, `!` or `=` header and, once all of it has arrived, its payload and CRLF.
  private func parseBlob(
    type: UInt8, header: ArraySlice<UInt8>, _ bytes: ArraySlice<UInt8>, payloadStart: Int
  ) throws(RESPParseError) -> (Item, Int)? {
    let length = try parseLength(header, of: type)
    if length < 0 { return (.value(.null), payloadStart) }
    guard length <= limits.maxBulkLength else {
      throw .limit(
        "RESP bulk string of \(length) bytes exceeds the limit of \(limits.maxBulkLength)")
    }
    guard bytes.endIndex - payloadStart >= length + 2 else { return nil }
    let payloadEnd = payloadStart + length
    guard bytes[payloadEnd] == Self.cr, bytes[payloadEnd + 1] == Self.lf else {
      throw .malformed("RESP bulk string of \(length) bytes is not followed by CRLF")
    }
    let payload = bytes[payloadStart..<payloadEnd]
    let value: RESPValue
    switch type {
    case UInt8(ascii: "!"):
      value = .error(String(decoding: payload, as: UTF8.self))
    case UInt8(ascii: "="):
      let format = payload.prefix(3)
      guard length >= 4, payload[payloadStart + 3] == UInt8(ascii: ":"),
        format.allSatisfy({ $0 < 0x80 })
      else {
        throw .malformed("RESP verbatim string does not start with a format and a colon")
      }
      value = .verbatimString(
        format: String(decoding: format, as: UTF8.self), text: Array(payload.dropFirst(4)))
    default:
      value = .bulkString(Array(payload))
    }
    return (.value(value), payloadEnd + 2)
  }

  /// An aggregate header, its count checked against the limit.
  private func parseAggregateHeader(type: UInt8, header: ArraySlice<UInt8>, end: Int)
    throws(RESPParseError) -> (Item, Int)
  {
    let count = try parseLength(header, of: type)
    if count < 0 { return (.value(.null), end) }
    guard count <= limits.maxElementCount else {
      throw .limit(
        "RESP aggregate of \(count) elements exceeds the limit of \(limits.maxElementCount)")
    }
    let kind: AggregateKind
    switch type {
    case UInt8(ascii: "%"): kind = .map
    case UInt8(ascii: "~"): kind = .set
    case UInt8(ascii: ">"): kind = .push
    case UInt8(ascii: "|"): kind = .attribute
    default: kind = .array
    }
    return (.aggregate(kind, count: count), end)
  }
}

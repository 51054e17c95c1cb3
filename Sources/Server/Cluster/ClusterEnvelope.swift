/// One push routed to another node: the message and, for each of that node's users it went
/// to, the user's offset. The append script builds it (published on `<prefix>deliver:<node>`)
/// and the receiving node decodes it.
///
/// The bytes are netstrings `<decimal length>:<bytes>` back to back, no separators:
/// messageID, event, messageJSON, then per recipient userID and offset (`<epoch>.<seq>`).
struct ClusterEnvelope: Sendable, Equatable {
  var messageID: String
  var event: String
  /// The `message` value as compact JSON, exactly as appended.
  var messageJSON: [UInt8]
  /// The node's recipients, in the order of the append request.
  var entries: [UserPosition]

  /// Longest length prefix accepted (digits); keeps the number inside `Int`.
  private static let maxLengthDigits = 12

  /// Parses an envelope; nil for anything malformed (a non-digit or empty length, a length
  /// past the end, a missing part, an offset that does not parse, or an odd tail).
  static func decode(_ bytes: [UInt8]) -> ClusterEnvelope? {
    var index = 0
    func next() -> ArraySlice<UInt8>? {
      var length = 0
      var digits = 0
      while index < bytes.count, bytes[index] != UInt8(ascii: ":") {
        let byte = bytes[index]
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < maxLengthDigits
        else { return nil }
        length = length * 10 + Int(byte - UInt8(ascii: "0"))
        digits += 1
        index += 1
      }
      guard digits > 0, index < bytes.count, length <= bytes.count - index - 1 else { return nil }
      let start = index + 1
      index = start + length
      return bytes[start..<index]
    }
    guard let id = next(), let event = next(), let json = next() else { return nil }
    var entries: [UserPosition] = []
    while index < bytes.count {
      guard let user = next(), let offsetBytes = next(),
        let offset = LogOffset(parsing: String(decoding: offsetBytes, as: UTF8.self))
      else { return nil }
      entries.append(UserPosition(userID: String(decoding: user, as: UTF8.self), offset: offset))
    }
    guard !entries.isEmpty else { return nil }
    return ClusterEnvelope(
      messageID: String(decoding: id, as: UTF8.self), event: String(decoding: event, as: UTF8.self),
      messageJSON: Array(json), entries: entries)
  }

  /// The wire form.
  func encoded() -> [UInt8] {
    var bytes: [UInt8] = []
    func put(_ part: some Collection<UInt8>) {
      bytes += Array(String(part.count).utf8)
      bytes.append(UInt8(ascii: ":"))
      bytes += part
    }
    put(Array(messageID.utf8))
    put(Array(event.utf8))
    put(messageJSON)
    for entry in entries {
      put(Array(entry.userID.utf8))
      put(Array(entry.offset.string.utf8))
    }
    return bytes
  }
}

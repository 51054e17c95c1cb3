/// Netstrings as the cluster's scripts write them: `<decimal byte length>:<bytes>`, one
/// after another with nothing between. Binary safe and cheap to build in Lua (`#s .. ':'
/// .. s`) and to read here without a JSON parse.
enum Netstrings {
  /// The longest length prefix accepted (9 digits: under 1 GB, far over any message).
  static let maxDigits = 9

  /// Reads every netstring of `bytes`; nil when they do not cover it exactly (a bad
  /// length, a missing colon, a length past the end).
  static func split(_ bytes: [UInt8]) -> [ArraySlice<UInt8>]? {
    var parts: [ArraySlice<UInt8>] = []
    var index = bytes.startIndex
    while index < bytes.endIndex {
      var length = 0
      var digits = 0
      while index < bytes.endIndex, bytes[index] != UInt8(ascii: ":") {
        let byte = bytes[index]
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < maxDigits else {
          return nil
        }
        length = length * 10 + Int(byte - UInt8(ascii: "0"))
        digits += 1
        index += 1
      }
      guard digits > 0, index < bytes.endIndex else { return nil }
      index += 1  // the colon
      guard bytes.endIndex - index >= length else { return nil }
      parts.append(bytes[index..<(index + length)])
      index += length
    }
    return parts
  }

  /// Appends one netstring.
  static func append(_ part: some Collection<UInt8>, to bytes: inout [UInt8]) {
    bytes.append(contentsOf: "\(part.count):".utf8)
    bytes.append(contentsOf: part)
  }
}

/// A live-only event for sockets on one node: event, message JSON, then the user ids, as
/// netstrings (published on `P live:<node>` by `ClusterNode.publishLive`'s script).
struct LiveEnvelope: Sendable, Equatable {
  var event: String
  var messageJSON: [UInt8]
  var userIDs: [String]

  /// Parses an envelope; nil when it is not one (fewer than three parts, bad netstrings).
  static func decode(_ bytes: [UInt8]) -> LiveEnvelope? {
    guard let parts = Netstrings.split(bytes), parts.count >= 3 else { return nil }
    return LiveEnvelope(
      event: String(decoding: parts[0], as: UTF8.self), messageJSON: Array(parts[1]),
      userIDs: parts.dropFirst(2).map { String(decoding: $0, as: UTF8.self) })
  }

  /// The bytes the script publishes (for tests and tools).
  func encoded() -> [UInt8] {
    var bytes: [UInt8] = []
    Netstrings.append(event.utf8, to: &bytes)
    Netstrings.append(messageJSON, to: &bytes)
    for userID in userIDs { Netstrings.append(userID.utf8, to: &bytes) }
    return bytes
  }
}

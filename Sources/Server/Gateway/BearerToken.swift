/// `Bearer <token>` handling shared by the handshake header, `auth.token` and the REST API.
///
/// Works on the contiguous UTF-8 bytes: `count`, `prefix` and `lowercased()` on Substrings
/// walk Characters and cost ~10,000 instructions per REST call, and even UTF8View index
/// walking ~4,500 (callgrind). Only ASCII is compared, so the result is the same.
enum BearerToken {
  /// The token without a leading `Bearer ` (any case), trimmed; nil when empty.
  static func strip(_ raw: String) -> String? {
    token(in: raw, requirePrefix: false)
  }

  /// The token of an `Authorization: Bearer …` header value; nil for other schemes.
  static func fromAuthorizationHeader(_ value: String?) -> String? {
    guard let value else { return nil }
    return token(in: value, requirePrefix: true)
  }

  private static let prefix = Array("bearer ".utf8)

  private static func token(in text: String, requirePrefix: Bool) -> String? {
    var text = text
    return text.withUTF8 { bytes -> String? in
      var (start, end) = trimmingSpaces(bytes, from: 0, to: bytes.count)
      if hasBearerPrefix(bytes, from: start, to: end) {
        (start, end) = trimmingSpaces(bytes, from: start + prefix.count, to: end)
      } else if requirePrefix {
        return nil
      }
      guard start < end else { return nil }
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
  }

  /// Whether `bytes[start..<end]` starts with `bearer ` (ASCII letters in any case) and has
  /// more after it.
  private static func hasBearerPrefix(
    _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int
  )
    -> Bool
  {
    guard end - start > prefix.count else { return false }
    for offset in 0..<prefix.count {
      let byte = bytes[start + offset]
      guard (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) == prefix[offset] else {
        return false
      }
    }
    return true
  }

  /// The bounds of `bytes[start..<end]` without leading and trailing spaces.
  private static func trimmingSpaces(
    _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int
  )
    -> (Int, Int)
  {
    var low = start
    var high = end
    while low < high, bytes[low] == UInt8(ascii: " ") { low += 1 }
    while high > low, bytes[high - 1] == UInt8(ascii: " ") { high -= 1 }
    return (low, high)
  }
}

import COpenSSL

/// A Lua script run with `EVALSHA` (falling back to `EVAL` when Redis answers `NOSCRIPT`):
/// its source and the SHA-1 Redis names it by, computed here with OpenSSL.
struct RedisScript: Sendable {
  /// The Lua source.
  let source: String
  /// The lowercase hex SHA-1 of `source`, as `SCRIPT LOAD` would answer.
  let sha1: String

  init(_ source: String) {
    self.source = source
    var digest = [UInt8](repeating: 0, count: 20)
    let bytes = Array(source.utf8)
    bytes.withUnsafeBufferPointer { buffer in
      _ = SHA1(buffer.baseAddress, buffer.count, &digest)
    }
    let hex = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    for byte in digest {
      text.append(hex[Int(byte >> 4)])
      text.append(hex[Int(byte & 15)])
    }
    sha1 = String(decoding: text, as: UTF8.self)
  }
}

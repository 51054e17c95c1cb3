import COpenSSL

/// A Lua script run by `EVALSHA`, with its source for the `NOSCRIPT` fallback (a Redis that
/// restarted has forgotten every loaded script).
struct RedisScript: Sendable {
  let source: String
  /// Lowercase hex SHA-1 of `source`, the name Redis knows it by.
  let sha1: String

  init(source: String) {
    self.source = source
    var digest = [UInt8](repeating: 0, count: Int(SHA_DIGEST_LENGTH))
    let bytes = Array(source.utf8)
    SHA1(bytes, bytes.count, &digest)
    let hex = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    for byte in digest {
      text.append(hex[Int(byte >> 4)])
      text.append(hex[Int(byte & 0x0f)])
    }
    sha1 = String(decoding: text, as: UTF8.self)
  }
}

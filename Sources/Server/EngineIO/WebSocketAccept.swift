import COpenSSL
import Protocol

/// `Sec-WebSocket-Accept` (RFC 6455 §4.2.2): base64 of SHA-1 over the client's key and the
/// protocol's GUID, hashed with OpenSSL.
enum WebSocketAccept {
  static func value(forKey key: String) -> String {
    let input = Array((key + WebSocketHandshake.acceptGUID).utf8)
    var digest = [UInt8](repeating: 0, count: Int(SHA_DIGEST_LENGTH))
    _ = input.withUnsafeBufferPointer { bytes in
      SHA1(bytes.baseAddress, bytes.count, &digest)
    }
    return Base64.encode(digest)
  }
}

import COpenSSL
import Protocol

/// Unguessable identifiers: 15 random bytes in base64url, 20 characters, URL-safe and
/// unpadded like the JS server's ids. Engine.IO session ids authorize requests, so they come
/// from a CSPRNG: OpenSSL's `RAND_bytes` (a DRBG seeded from the kernel), falling back to
/// `SystemRandomNumberGenerator` should OpenSSL refuse.
///
/// `SystemRandomNumberGenerator` alone made one `getrandom` syscall per byte here (15 per
/// id, two ids per connection): about 6% of a connect/disconnect cycle (perf).
enum RandomID {
  /// A new 20-character id.
  static func make() -> String {
    var bytes = [UInt8](repeating: 0, count: 15)
    let filled = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, 15) == 1 }
    if !filled {
      var generator = SystemRandomNumberGenerator()
      for index in bytes.indices { bytes[index] = generator.next() }
    }
    return Base64.encode(bytes, alphabet: .url)
  }
}

import COpenSSL
import Protocol
import Synchronization

/// Unguessable identifiers: 15 random bytes in base64url, 20 characters, URL-safe and
/// unpadded like the JS server's ids. Engine.IO session ids authorize requests, so they come
/// from a CSPRNG: OpenSSL's `RAND_bytes` (a DRBG seeded from the kernel), falling back to
/// `SystemRandomNumberGenerator` should OpenSSL refuse.
///
/// `SystemRandomNumberGenerator` alone made one `getrandom` syscall per byte here (15 per
/// id, two ids per connection): about 6% of a connect/disconnect cycle (perf). A single
/// `RAND_bytes` call still costs ~15,000 instructions (provider lookup, locking), so the
/// bytes are drawn 4 KiB at a time and handed out once each, in order.
enum RandomID {
  private static let pool = Mutex(RandomPool())

  /// A new 20-character id.
  static func make() -> String {
    let bytes = pool.withLock { $0.take(15) }
    return Base64.encode(bytes, alphabet: .url)
  }
}

/// A buffer of CSPRNG bytes, refilled when it runs out.
struct RandomPool {
  private var bytes = [UInt8](repeating: 0, count: 4096)
  private var offset = 4096

  /// The next `count` unused bytes (`count` at most the pool size).
  mutating func take(_ count: Int) -> [UInt8] {
    if offset + count > bytes.count { refill() }
    defer { offset += count }
    return Array(bytes[offset..<(offset + count)])
  }

  private mutating func refill() {
    let filled = bytes.withUnsafeMutableBufferPointer {
      RAND_bytes($0.baseAddress, Int32($0.count)) == 1
    }
    if !filled {
      var generator = SystemRandomNumberGenerator()
      for index in bytes.indices { bytes[index] = generator.next() }
    }
    offset = 0
  }
}

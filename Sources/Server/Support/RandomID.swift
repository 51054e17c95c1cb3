import Protocol

/// Unguessable identifiers: 15 random bytes in base64url, 20 characters, URL-safe and
/// unpadded like the JS server's ids. Engine.IO session ids authorize requests, so they come
/// from the system CSPRNG (`getrandom` through `SystemRandomNumberGenerator`).
enum RandomID {
  /// A new 20-character id.
  static func make() -> String {
    var generator = SystemRandomNumberGenerator()
    var bytes = [UInt8](repeating: 0, count: 15)
    for index in bytes.indices { bytes[index] = generator.next() }
    return Base64.encode(bytes, alphabet: .url)
  }
}

import Protocol

extension Base64 {
  /// Decodes one base64url part of a token (unpadded, RFC 7515 §2), or nil if it is not.
  ///
  /// Goes through the `String` overload on purpose: the generic `decode(_:alphabet:)` is not
  /// inlinable, so called from this module it runs unspecialised and took 28 µs of a 37 µs
  /// HS256 verification (perf, release build). The `String` overload runs the copy Protocol
  /// specialised for `[UInt8]`; the extra copy of a few hundred bytes costs far less.
  static func decodeTokenPart(_ part: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
    decode(String(decoding: part, as: UTF8.self), alphabet: .url)
  }
}

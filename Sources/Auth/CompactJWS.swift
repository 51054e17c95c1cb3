/// The three parts of a compact JWS (RFC 7515 §7.1), as ranges into the token's bytes, so
/// splitting copies nothing.
///
/// ```
/// base64url(header) . base64url(payload) . base64url(signature)
/// |<----- signing input ------------>|
/// ```
struct CompactJWS {
  /// The encoded header.
  let header: Range<Int>
  /// The encoded payload.
  let payload: Range<Int>
  /// The encoded signature (empty only in `alg: none` tokens, which are refused later).
  let signature: Range<Int>

  /// The bytes the signature covers: header, dot, payload.
  var signingInput: Range<Int> { header.lowerBound..<payload.upperBound }

  /// Splits `token` at its dots.
  /// - Throws: `malformed` unless there are exactly three parts and the header and payload
  ///   are non-empty.
  init(splitting token: UnsafeBufferPointer<UInt8>) throws(AuthError) {
    var firstDot: Int? = nil
    var secondDot: Int? = nil
    for index in token.indices where token[index] == UInt8(ascii: ".") {
      if firstDot == nil {
        firstDot = index
      } else if secondDot == nil {
        secondDot = index
      } else {
        throw AuthError(reason: .malformed, detail: "Token has more than three parts.")
      }
    }
    guard let firstDot, let secondDot else {
      throw AuthError(reason: .malformed, detail: "Token has fewer than three parts.")
    }
    header = 0..<firstDot
    payload = (firstDot + 1)..<secondDot
    signature = (secondDot + 1)..<token.count
    guard !header.isEmpty, !payload.isEmpty else {
      throw AuthError(reason: .malformed, detail: "Token has an empty header or payload.")
    }
  }
}

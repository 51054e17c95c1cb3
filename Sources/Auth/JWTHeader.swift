import Protocol

/// The JOSE header members the verifier acts on (RFC 7515 §4.1).
struct JWTHeader {
  /// The signature algorithm (`alg`).
  let algorithm: JWTAlgorithm
  /// The key id (`kid`), if any.
  let kid: String?

  /// Decodes and checks the base64url header.
  /// - Throws: `malformed` if it is not base64url of a JSON object with a string `alg`, if
  ///   `kid` is not a string, or if it lists `crit` extensions (RFC 7515 §4.1.11: a verifier
  ///   must refuse extensions it does not understand, and it understands none);
  ///   `unsupportedAlgorithm` if `alg` is `none` in any spelling or not a `JWTAlgorithm`.
  init(encoded: UnsafeBufferPointer<UInt8>) throws(AuthError) {
    guard let json = Base64.decodeTokenPart(encoded) else {
      throw AuthError(reason: .malformed, detail: "Header is not unpadded base64url.")
    }
    guard let members = JSONParser.parse(json)?.object else {
      throw AuthError(reason: .malformed, detail: "Header is not a JSON object.")
    }
    guard let name = members["alg"]?.string else {
      throw AuthError(reason: .malformed, detail: "Header has no string alg.")
    }
    guard name.lowercased() != "none" else {
      throw AuthError(
        reason: .unsupportedAlgorithm, detail: "Header alg is none; unsigned tokens are refused.")
    }
    guard let algorithm = JWTAlgorithm(rawValue: name) else {
      throw AuthError(
        reason: .unsupportedAlgorithm, detail: "Header alg is not one this gateway verifies.")
    }
    let kid: String?
    switch members["kid"] {
    case nil: kid = nil
    case .string(let text): kid = text
    default: throw AuthError(reason: .malformed, detail: "Header kid is not a string.")
    }
    guard members["crit"] == nil else {
      throw AuthError(reason: .malformed, detail: "Header lists crit extensions.")
    }
    self.algorithm = algorithm
    self.kid = kid
  }
}

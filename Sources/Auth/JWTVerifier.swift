import Protocol

/// Verifies compact JWS tokens against a fixed set of keys and turns them into identities.
///
/// Built once at start and shared by value; verification touches no shared mutable state.
/// The order follows jwt-kit: size → split → header → key by `kid` and `alg` → signature →
/// only then the payload → claims against an injected `now`.
public struct JWTVerifier: Sendable {
  /// The keys tokens may be signed with.
  public let keys: [JWTKey]
  /// What is checked beyond the signature.
  public let options: Options
  /// Whether any key has a `kid`; only then does a header's `kid` select keys.
  private let keysHaveKids: Bool

  /// Creates a verifier.
  /// - Parameters:
  ///   - keys: the verification keys; with none, every token fails with `algorithmMismatch`.
  ///   - options: claim checks and limits.
  public init(keys: [JWTKey], options: Options = Options()) {
    self.keys = keys
    self.options = options
    self.keysHaveKids = keys.contains { $0.kid != nil }
  }

  /// Verifies the compact JWS and returns the identity.
  /// - Parameters:
  ///   - token: the token text, without any `Bearer ` prefix.
  ///   - now: the current time in seconds since the epoch (injected so tests need no clock).
  /// - Throws: `AuthError`, whose `detail` never contains the token.
  public func verify(_ token: some StringProtocol, now: Double) throws(AuthError) -> Identity {
    let utf8 = token.utf8
    guard !utf8.isEmpty else {
      throw AuthError(reason: .missingToken, detail: "No token was presented.")
    }
    guard utf8.count <= options.maxTokenBytes else {
      throw AuthError(
        reason: .tokenTooLarge, detail: "Token is longer than \(options.maxTokenBytes) bytes.")
    }
    let result =
      utf8.withContiguousStorageIfAvailable { bytes in
        Result { () throws(AuthError) in try verify(bytes: bytes, now: now) }
      }
      ?? Array(utf8).withUnsafeBufferPointer { bytes in
        Result { () throws(AuthError) in try verify(bytes: bytes, now: now) }
      }
    return try result.get()
  }

  private func verify(bytes token: UnsafeBufferPointer<UInt8>, now: Double) throws(AuthError)
    -> Identity
  {
    let parts = try CompactJWS(splitting: token)
    let header = try JWTHeader(encoded: UnsafeBufferPointer(rebasing: token[parts.header]))
    try verifySignature(token: token, parts: parts, header: header)
    guard
      let payload = Base64.decodeTokenPart(UnsafeBufferPointer(rebasing: token[parts.payload]))
    else {
      throw AuthError(reason: .malformed, detail: "Payload is not unpadded base64url.")
    }
    return try identity(payload: payload, now: now)
  }

  /// Picks the candidate keys and checks the signature with them.
  ///
  /// With a header `kid` (and keys that have kids) only keys of that id are candidates;
  /// otherwise every key is. Of those, only keys allowing the header's `alg` are tried, so
  /// an HMAC secret never checks an RS/ES/PS/EdDSA token and a public key never an HS one.
  private func verifySignature(
    token: UnsafeBufferPointer<UInt8>, parts: CompactJWS, header: JWTHeader
  ) throws(AuthError) {
    let kid = keysHaveKids ? header.kid : nil
    var kidFound = kid == nil
    var signature: [UInt8]? = nil
    let message = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: token[parts.signingInput]))
    for key in keys {
      if let kid {
        guard key.kid == kid else { continue }
        kidFound = true
      }
      guard key.algorithms.contains(header.algorithm) else { continue }
      if signature == nil {
        signature = Base64.decodeTokenPart(UnsafeBufferPointer(rebasing: token[parts.signature]))
        guard signature != nil else {
          throw AuthError(reason: .malformed, detail: "Signature is not unpadded base64url.")
        }
      }
      if let signature, key.verify(signature, over: message, algorithm: header.algorithm) {
        return
      }
    }
    guard kidFound else {
      throw AuthError(reason: .unknownKey, detail: "No configured key has the header's kid.")
    }
    guard signature != nil else {
      throw AuthError(
        reason: .algorithmMismatch,
        detail: "No configured key allows alg \(header.algorithm.rawValue)"
          + (kid == nil ? "." : " under the header's kid."))
    }
    throw AuthError(reason: .badSignature, detail: "Signature does not verify.")
  }
}

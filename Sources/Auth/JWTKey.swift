/// One verification key: a shared HMAC secret or a public key, with an optional key id.
///
/// Keys are built once at start (public keys are parsed into OpenSSL objects then), so
/// verifying a token does no key setup.
public struct JWTKey: Sendable {
  /// The key id, matched against a token header's `kid`.
  public let kid: String?
  /// The algorithms this key verifies; a token whose `alg` is not here is refused with
  /// `algorithmMismatch`. Never mixes HMAC with public-key algorithms.
  public let algorithms: Set<JWTAlgorithm>
  /// The key material.
  let material: Material

  /// What verifies the signature.
  enum Material: Sendable {
    /// A keyed HMAC context per allowed algorithm.
    case secret([JWTAlgorithm: HMACKeyContext])
    /// An OpenSSL public key.
    case publicKey(OpenSSLPublicKey)
  }

  /// Creates a key from its parts; `algorithms` must belong to the material's family.
  init(kid: String?, algorithms: Set<JWTAlgorithm>, material: Material) {
    self.kid = kid
    self.algorithms = algorithms
    self.material = material
  }

  /// A shared-secret key.
  ///
  /// It verifies HS256, HS384 and HS512 alike: the three share the secret and none can be
  /// confused with a public-key algorithm, and a NestJS/jsonwebtoken issuer given the same
  /// secret may use any of them. An empty secret verifies nothing, since anyone could sign
  /// with it.
  /// - Parameters:
  ///   - secret: the secret bytes (RFC 7518 §3.2 asks for at least as many as the hash output).
  ///   - algorithm: the HMAC algorithm the issuer uses; must be HS256, HS384 or HS512
  ///     (anything else is a programming error). HS256 by default, as jsonwebtoken does.
  ///   - kid: the key id, if tokens name one.
  public static func hmac(
    secret: [UInt8], algorithm: JWTAlgorithm = .hs256, kid: String? = nil
  ) -> JWTKey {
    precondition(algorithm.family == .hmac, "JWTKey.hmac needs an HS algorithm")
    return hmac(secret: secret, algorithms: JWTAlgorithm.Family.hmac.algorithms, kid: kid)
  }

  /// A shared-secret key restricted to `algorithms` (all HMAC), as a JWK with `alg` asks.
  static func hmac(secret: [UInt8], algorithms: Set<JWTAlgorithm>, kid: String?) -> JWTKey {
    var contexts: [JWTAlgorithm: HMACKeyContext] = [:]
    if !secret.isEmpty {
      for algorithm in algorithms {
        contexts[algorithm] = HMACKeyContext(secret: secret, algorithm: algorithm)
      }
    }
    return JWTKey(kid: kid, algorithms: Set(contexts.keys), material: .secret(contexts))
  }

  /// Which keys an algorithm family belongs to.
  var family: JWTAlgorithm.Family {
    switch material {
    case .secret: return .hmac
    case .publicKey(let key): return key.family
    }
  }

  /// Whether `signature` signs `message` under `algorithm`; false if this key does not allow
  /// `algorithm`.
  func verify(
    _ signature: [UInt8], over message: UnsafeRawBufferPointer, algorithm: JWTAlgorithm
  ) -> Bool {
    guard algorithms.contains(algorithm) else { return false }
    switch material {
    case .secret(let contexts):
      return contexts[algorithm]?.verify(signature, over: message) ?? false
    case .publicKey(let key):
      return key.verify(signature, over: message, algorithm: algorithm)
    }
  }
}

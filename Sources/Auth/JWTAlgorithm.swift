import COpenSSL

/// A JWS signature algorithm (RFC 7518 §3, RFC 8037 §3.1) this gateway can verify.
///
/// `none` is deliberately absent: an unsigned token is never accepted.
public enum JWTAlgorithm: String, Sendable, CaseIterable {
  /// HMAC with SHA-256.
  case hs256 = "HS256"
  /// HMAC with SHA-384.
  case hs384 = "HS384"
  /// HMAC with SHA-512.
  case hs512 = "HS512"
  /// RSASSA-PKCS1-v1_5 with SHA-256.
  case rs256 = "RS256"
  /// RSASSA-PKCS1-v1_5 with SHA-384.
  case rs384 = "RS384"
  /// RSASSA-PKCS1-v1_5 with SHA-512.
  case rs512 = "RS512"
  /// RSASSA-PSS with SHA-256, MGF1 with SHA-256, salt as long as the digest.
  case ps256 = "PS256"
  /// ECDSA on P-256 with SHA-256, signature as raw `R || S` (32 + 32 bytes).
  case es256 = "ES256"
  /// ECDSA on P-384 with SHA-384, signature as raw `R || S` (48 + 48 bytes).
  case es384 = "ES384"
  /// Ed25519 (RFC 8037), which hashes internally.
  case edDSA = "EdDSA"

  /// The kind of key an algorithm needs; a key verifies only algorithms of its own family.
  enum Family: Sendable {
    /// A shared secret (HS*).
    case hmac
    /// An RSA public key (RS*, PS*).
    case rsa
    /// An EC public key on P-256 (ES256).
    case ecP256
    /// An EC public key on P-384 (ES384).
    case ecP384
    /// An Ed25519 public key (EdDSA).
    case ed25519

    /// Every algorithm of the family: what a key allows when nothing narrows it.
    var algorithms: Set<JWTAlgorithm> {
      Set(JWTAlgorithm.allCases.filter { $0.family == self })
    }
  }

  /// The family of keys that can verify this algorithm.
  var family: Family {
    switch self {
    case .hs256, .hs384, .hs512: return .hmac
    case .rs256, .rs384, .rs512, .ps256: return .rsa
    case .es256: return .ecP256
    case .es384: return .ecP384
    case .edDSA: return .ed25519
    }
  }

  /// The message digest the algorithm signs with, or nil for EdDSA (Ed25519 hashes itself).
  var digest: OpaquePointer? {
    switch self {
    case .hs256, .rs256, .ps256, .es256: return EVP_sha256()
    case .hs384, .rs384, .es384: return EVP_sha384()
    case .hs512, .rs512: return EVP_sha512()
    case .edDSA: return nil
    }
  }
}

/// Why a token, a key or a key file was refused.
///
/// The `detail` is a sentence for logs. It never quotes the token, a secret, or any other
/// text taken from the token, so an error can be logged as it is.
public struct AuthError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The machine-readable cause, stable across releases.
  public enum Reason: String, Sendable, CaseIterable {
    /// No token was presented (empty text).
    case missingToken
    /// The token or its header, payload or claims are not well-formed.
    case malformed
    /// The token is longer than `JWTVerifier.Options.maxTokenBytes`.
    case tokenTooLarge
    /// The header's `alg` is `none` or an algorithm this gateway does not verify.
    case unsupportedAlgorithm
    /// No configured key may verify the header's `alg` (the algorithm-confusion defense).
    case algorithmMismatch
    /// The header names a `kid` that no configured key has.
    case unknownKey
    /// The signature does not verify with any candidate key.
    case badSignature
    /// `exp` lies before `now`, beyond the leeway.
    case expired
    /// `nbf` lies after `now`, beyond the leeway.
    case notYetValid
    /// `iss` is absent or differs from the configured issuer.
    case wrongIssuer
    /// `aud` is absent or does not contain the configured audience.
    case wrongAudience
    /// None of the user-id claims holds a usable value.
    case missingUserID
    /// A key file could not be read.
    case keyFileUnreadable
    /// Key material could not be parsed or is not an acceptable key.
    case invalidKey
  }

  /// The machine-readable cause.
  public var reason: Reason
  /// A human sentence for logs; never contains the token or a secret.
  public var detail: String

  /// Creates an error.
  /// - Parameters:
  ///   - reason: the machine-readable cause.
  ///   - detail: a sentence for logs, which must not quote the token or a secret.
  public init(reason: Reason, detail: String) {
    self.reason = reason
    self.detail = detail
  }

  /// `reason: detail`, for logs.
  public var description: String { "\(reason.rawValue): \(detail)" }
}

import Protocol

/// Signs claims into HMAC JWTs, for `gateway --dev` and tests.
///
/// Output matches PyJWT's and jsonwebtoken's layout byte for byte: the header is
/// `{"alg":"HS256","typ":"JWT"}` (with the chosen alg), and the claims are used verbatim.
public struct JWTSigner: Sendable {
  /// The HMAC algorithm.
  public let algorithm: JWTAlgorithm
  private let context: HMACKeyContext
  private let encodedHeader: [UInt8]

  /// Creates a signer.
  /// - Parameters:
  ///   - secret: the shared secret.
  ///   - algorithm: HS256, HS384 or HS512 (anything else is a programming error); HS256 by
  ///     default, as jsonwebtoken does.
  public init(secret: [UInt8], algorithm: JWTAlgorithm = .hs256) {
    precondition(algorithm.family == .hmac, "JWTSigner signs only HS algorithms")
    guard let context = HMACKeyContext(secret: secret, algorithm: algorithm) else {
      fatalError("OpenSSL could not create an HMAC context")
    }
    self.algorithm = algorithm
    self.context = context
    self.encodedHeader = Array(
      Base64.encode(
        Array(#"{"alg":"\#(algorithm.rawValue)","typ":"JWT"}"#.utf8), alphabet: .url
      ).utf8)
  }

  /// The compact JWS of `claimsJSON`.
  /// - Parameter claimsJSON: the payload, used byte for byte (not re-serialised).
  public func sign(claimsJSON: String) -> String {
    var input = encodedHeader
    input.append(UInt8(ascii: "."))
    Base64.encode(Array(claimsJSON.utf8), alphabet: .url, into: &input)
    guard let signature = input.withUnsafeBytes({ context.sign($0) }) else {
      fatalError("OpenSSL could not compute an HMAC")
    }
    input.append(UInt8(ascii: "."))
    Base64.encode(signature, alphabet: .url, into: &input)
    return String(decoding: input, as: UTF8.self)
  }
}

import Auth
import Foundation

/// Builds the JWT verifier from the configured secret, PEM file and JWKS file.
enum KeyLoader {
  /// A configuration problem, phrased for the operator.
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  static func verifier(for config: GatewayConfig) throws(Failure) -> JWTVerifier {
    var keys: [JWTKey] = []
    if let secret = config.jwtSecret {
      keys.append(.hmac(secret: Array(secret.utf8)))
    }
    if let path = config.jwtPublicKeyFile {
      guard let pem = try? String(contentsOfFile: path, encoding: .utf8) else {
        throw Failure(description: "GATEWAY_JWT_PUBLIC_KEY_FILE: cannot read \(path)")
      }
      do {
        keys.append(try .publicKeyPEM(pem))
      } catch {
        throw Failure(description: "GATEWAY_JWT_PUBLIC_KEY_FILE: \(error.detail)")
      }
    }
    if let path = config.jwksFile {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw Failure(description: "GATEWAY_JWKS_FILE: cannot read \(path)")
      }
      do {
        keys.append(contentsOf: try JWTKey.jwks(Array(data)))
      } catch {
        throw Failure(description: "GATEWAY_JWKS_FILE: \(error.detail)")
      }
    }
    guard !keys.isEmpty else {
      throw Failure(
        description:
          "no JWT key configured: set GATEWAY_JWT_SECRET (HS256), GATEWAY_JWT_PUBLIC_KEY_FILE or GATEWAY_JWKS_FILE, or run with --dev"
      )
    }
    var options = JWTVerifier.Options()
    options.leeway = config.jwtLeewaySeconds
    options.issuer = config.jwtIssuer
    options.audience = config.jwtAudience
    options.userClaims = config.jwtUserClaims
    return JWTVerifier(keys: keys, options: options)
  }
}

import Foundation
import Testing

@testable import Auth

/// The fixtures that scripts/make-jwt-fixtures.py generated with PyJWT: keys, a JWK Set and
/// a table of tokens with the result each must give.
enum TestFixtures {
  /// vectors.json as decoded.
  struct VectorFile: Decodable {
    let now: Double
    let hmacSecret: String
    let vectors: [Vector]
    let signer: [SignerCase]
  }

  /// One token and what verifying it must give.
  struct Vector: Decodable, Sendable, CustomTestStringConvertible {
    /// Options to verify with; absent members keep the defaults.
    struct OptionsSpec: Decodable, Sendable {
      let leeway: Double?
      let issuer: String?
      let audience: String?
      let userClaims: [String]?
      let maxTokenBytes: Int?
    }
    /// The identity a valid token gives.
    struct Expect: Decodable, Sendable {
      let userID: String
      let expiresAt: Double?
      let roles: [String]
    }
    let name: String
    let token: String
    let keys: String
    let options: OptionsSpec
    let expect: Expect?
    let error: String?

    var testDescription: String { name }

    /// The verifier options the vector asks for.
    var verifierOptions: JWTVerifier.Options {
      var result = JWTVerifier.Options()
      if let leeway = options.leeway { result.leeway = leeway }
      result.issuer = options.issuer
      result.audience = options.audience
      if let claims = options.userClaims { result.userClaims = claims }
      if let limit = options.maxTokenBytes { result.maxTokenBytes = limit }
      return result
    }
  }

  /// Claims PyJWT signed, and the token it made.
  struct SignerCase: Decodable, Sendable, CustomTestStringConvertible {
    let algorithm: String
    let claimsJSON: String
    let token: String

    var testDescription: String { algorithm }
  }

  /// The Fixtures folder inside the test bundle.
  static let directory: URL = {
    guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
      fatalError("Fixtures folder missing from the AuthTests bundle")
    }
    return url
  }()

  /// The bytes of a fixture file, e.g. `keys/test-only-ec-p256-public.pem`.
  static func bytes(_ path: String) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: url(path).path) else {
      fatalError("fixture \(path) unreadable")
    }
    return [UInt8](data)
  }

  /// The text of a fixture file.
  static func text(_ path: String) -> String {
    String(decoding: bytes(path), as: UTF8.self)
  }

  /// The URL of a fixture file.
  static func url(_ path: String) -> URL {
    directory.appendingPathComponent(path)
  }

  /// vectors.json.
  static let file: VectorFile = {
    do {
      return try JSONDecoder().decode(VectorFile.self, from: Data(bytes("vectors.json")))
    } catch {
      fatalError("vectors.json does not decode: \(error)")
    }
  }()

  /// The fixed time every vector is judged at.
  static var now: Double { file.now }
  /// The HMAC secret of the vectors.
  static var secret: [UInt8] { Array(file.hmacSecret.utf8) }

  /// A public key fixture.
  static func pemKey(_ name: String) -> JWTKey {
    do {
      return try JWTKey.publicKeyPEM(text("keys/\(name)"))
    } catch {
      fatalError("\(name) does not load: \(error)")
    }
  }

  /// The key sets vectors name, as vectors.json's `keySets` describes them.
  static let keySets: [String: [JWTKey]] = {
    let pem = [
      "test-only-rsa-2048-public.pem", "test-only-ec-p256-public.pem",
      "test-only-ec-p384-public.pem", "test-only-ed25519-public.pem",
    ].map(pemKey)
    let hmac = JWTKey.hmac(secret: secret)
    let jwks: [JWTKey]
    do {
      jwks = try JWTKey.jwks(bytes("jwks.json"))
    } catch {
      fatalError("jwks.json does not load: \(error)")
    }
    return [
      "hmac": [hmac],
      "pem": pem,
      "mixed": pem + [hmac],
      "rsa": [pemKey("test-only-rsa-2048-public.pem")],
      "certificate": [pemKey("test-only-rsa-2048-certificate.pem")],
      "jwks": jwks,
    ]
  }()
}

/// The reason `body` failed with, or nil if it succeeded.
func failureReason<T>(_ body: () throws(AuthError) -> T) -> AuthError.Reason? {
  do {
    _ = try body()
    return nil
  } catch {
    return error.reason
  }
}

import Protocol
import Testing

@testable import Auth

@Suite("JWTSigner")
struct JWTSignerTests {
  @Test("sign reproduces PyJWT's token byte for byte", arguments: TestFixtures.file.signer)
  func signMatchesPyJWT(_ signerCase: TestFixtures.SignerCase) throws {
    let algorithm = try #require(JWTAlgorithm(rawValue: signerCase.algorithm))
    let signer = JWTSigner(secret: TestFixtures.secret, algorithm: algorithm)
    #expect(signer.sign(claimsJSON: signerCase.claimsJSON) == signerCase.token)
  }

  @Test(
    "sign writes the header jsonwebtoken and PyJWT write",
    arguments: [
      (JWTAlgorithm.hs256, #"{"alg":"HS256","typ":"JWT"}"#),
      (.hs384, #"{"alg":"HS384","typ":"JWT"}"#),
      (.hs512, #"{"alg":"HS512","typ":"JWT"}"#),
    ])
  func signHeaderBytes(algorithm: JWTAlgorithm, header: String) {
    let token = JWTSigner(secret: [1, 2, 3], algorithm: algorithm).sign(claimsJSON: "{}")
    let encoded = String(token.split(separator: ".")[0])
    #expect(Base64.decode(encoded, alphabet: .url) == Array(header.utf8))
  }

  @Test(
    "signed tokens verify with the same secret and carry the claims verbatim",
    arguments: [JWTAlgorithm.hs256, .hs384, .hs512])
  func signThenVerifyRoundTrip(algorithm: JWTAlgorithm) throws {
    let secret = Array("round-trip-secret".utf8)
    let claims = #"{"sub":"dev","exp":1800000600,"roles":["admin"],"note":"a/b é"}"#
    let token = JWTSigner(secret: secret, algorithm: algorithm).sign(claimsJSON: claims)
    let identity = try JWTVerifier(keys: [.hmac(secret: secret)]).verify(token, now: 1_800_000_000)
    #expect(identity.userID == "dev")
    #expect(identity.expiresAt == 1_800_000_600)
    #expect(identity.roles == ["admin"])
    #expect(identity.claimsJSON == Array(claims.utf8))
  }

  @Test("a token signed with one secret fails with another")
  func signThenVerifyWithOtherSecretIsBadSignature() {
    let token = JWTSigner(secret: Array("one".utf8)).sign(claimsJSON: #"{"sub":"x"}"#)
    let verifier = JWTVerifier(keys: [.hmac(secret: Array("two".utf8))])
    #expect(
      failureReason { () throws(AuthError) in try verifier.verify(token, now: 0) } == .badSignature)
  }

  @Test("signing with an empty secret works, but an empty-secret key verifies nothing")
  func emptySecretSignsButNeverVerifies() {
    let token = JWTSigner(secret: []).sign(claimsJSON: #"{"sub":"x"}"#)
    #expect(token.split(separator: ".").count == 3)
    let verifier = JWTVerifier(keys: [.hmac(secret: [])])
    #expect(
      failureReason { () throws(AuthError) in try verifier.verify(token, now: 0) }
        == .algorithmMismatch)
  }
}

import Protocol
import Testing

@testable import Auth

@Suite("JWTKey")
struct JWTKeyTests {
  @Test(
    "a secret key accepts HS256, HS384 and HS512 whatever algorithm it was made with",
    arguments: [JWTAlgorithm.hs256, .hs384, .hs512])
  func hmacKeyAcceptsHMACFamily(algorithm: JWTAlgorithm) {
    let key = JWTKey.hmac(secret: Array("s".utf8), algorithm: algorithm, kid: "k")
    #expect(key.algorithms == [.hs256, .hs384, .hs512])
    #expect(key.kid == "k")
    #expect(key.family == .hmac)
  }

  @Test("an empty secret allows no algorithm")
  func emptySecretAllowsNothing() {
    #expect(JWTKey.hmac(secret: []).algorithms.isEmpty)
  }

  @Test("verify refuses an algorithm the key does not allow, even with a right MAC")
  func verifyRefusesOtherAlgorithm() {
    let secret = Array("s".utf8)
    let narrow = JWTKey.hmac(secret: secret, algorithms: [.hs256], kid: nil)
    let token = JWTSigner(secret: secret, algorithm: .hs384).sign(claimsJSON: "{}")
    let parts = token.split(separator: ".")
    let message = Array("\(parts[0]).\(parts[1])".utf8)
    let signature = Base64.decode(String(parts[2]), alphabet: .url) ?? []
    let allowed = JWTKey.hmac(secret: secret)
    message.withUnsafeBytes { bytes in
      #expect(allowed.verify(signature, over: bytes, algorithm: .hs384))
      #expect(!narrow.verify(signature, over: bytes, algorithm: .hs384))
    }
  }
}

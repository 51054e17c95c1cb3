import Testing

@testable import Auth

@Suite("JWTAlgorithm")
struct JWTAlgorithmTests {
  @Test(
    "each algorithm belongs to exactly one key family",
    arguments: [
      (JWTAlgorithm.hs256, JWTAlgorithm.Family.hmac), (.hs384, .hmac), (.hs512, .hmac),
      (.rs256, .rsa), (.rs384, .rsa), (.rs512, .rsa), (.ps256, .rsa),
      (.es256, .ecP256), (.es384, .ecP384), (.edDSA, .ed25519),
    ])
  func family(algorithm: JWTAlgorithm, family: JWTAlgorithm.Family) {
    #expect(algorithm.family == family)
    #expect(family.algorithms.contains(algorithm))
    #expect((algorithm.digest == nil) == (algorithm == .edDSA))
  }

  @Test("the JOSE names are RFC 7518's and RFC 8037's")
  func names() {
    #expect(
      JWTAlgorithm.allCases.map(\.rawValue) == [
        "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA",
      ])
  }
}

import Testing

@testable import Auth

@Suite("JWTVerifier.Options")
struct JWTVerifierOptionsTests {
  @Test("defaults: 30 s leeway, no iss/aud check, NestJS user claims, 8 KiB tokens")
  func defaults() {
    let options = JWTVerifier.Options()
    #expect(options.leeway == 30)
    #expect(options.issuer == nil)
    #expect(options.audience == nil)
    #expect(options.userClaims == ["sub", "userId", "_id", "id"])
    #expect(options.maxTokenBytes == 8192)
  }

  @Test("the size limit counts UTF-8 bytes and is checked before anything else")
  func sizeLimitFirst() {
    let verifier = JWTVerifier(keys: [], options: .init(maxTokenBytes: 4))
    #expect(
      failureReason { () throws(AuthError) in try verifier.verify("ééé", now: 0) } == .tokenTooLarge
    )
    #expect(
      failureReason { () throws(AuthError) in try verifier.verify("a.b", now: 0) } == .malformed)
    #expect(
      failureReason { () throws(AuthError) in try verifier.verify("", now: 0) } == .missingToken)
  }
}

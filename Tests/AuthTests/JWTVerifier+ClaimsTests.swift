import Testing

@testable import Auth

@Suite("JWTVerifier+Claims")
struct JWTVerifierClaimsTests {
  static let now = 1_800_000_000.0

  private func identity(_ json: String, options: JWTVerifier.Options = .init()) -> Result<
    Identity, AuthError
  > {
    let verifier = JWTVerifier(keys: [], options: options)
    return Result { () throws(AuthError) in
      try verifier.identity(payload: Array(json.utf8), now: Self.now)
    }
  }

  @Test(
    "user id, expiry and roles come from the claims",
    arguments: [
      (#"{"sub":"u"}"#, "u", nil, []),
      (#"{"sub":"u","exp":1800000600.5}"#, "u", 1_800_000_600.5, []),
      (#"{"sub":1,"exp":1.8e9}"#, "1", 1_800_000_000, []),
      (#"{"id":3,"_id":"m","userId":null}"#, "m", nil, []),
      (#"{"sub":"u","roles":["a"],"role":"b"}"#, "u", nil, ["a", "b"]),
      (#"{"sub":"u","roles":"admin"}"#, "u", nil, []),
      (#"{"sub":"u","role":"admin"}"#, "u", nil, ["admin"]),
    ] as [(String, String, Double?, [String])])
  func extractsIdentity(json: String, userID: String, expiresAt: Double?, roles: [String]) throws {
    let result = try identity(json).get()
    #expect(result.userID == userID)
    #expect(result.expiresAt == expiresAt)
    #expect(result.roles == roles)
    #expect(result.claimsJSON == Array(json.utf8))
  }

  @Test(
    "bad claims give their reason",
    arguments: [
      ("[]", AuthError.Reason.malformed),
      ("", .malformed),
      (#"{"sub":"u","exp":true}"#, .malformed),
      (#"{"sub":"u","exp":null}"#, .malformed),
      (#"{"sub":"u","exp":"1"}"#, .malformed),
      (#"{"sub":"u","nbf":[1]}"#, .malformed),
      (#"{"sub":"u","iat":false}"#, .malformed),
      (#"{"sub":"u","exp":1799999969}"#, .expired),
      (#"{"sub":"u","nbf":1800000031}"#, .notYetValid),
      (#"{"sub":true}"#, .missingUserID),
      (#"{"sub":false,"userId":"u"}"#, .missingUserID),
      (#"{"sub":[]}"#, .missingUserID),
      (#"{"sub":0.5}"#, .missingUserID),
      (#"{"sub":""}"#, .missingUserID),
      (#"{"name":"u"}"#, .missingUserID),
      (#"{"sub":null,"userId":null}"#, .missingUserID),
    ])
  func refusesClaims(json: String, reason: AuthError.Reason) {
    #expect(failureReason { () throws(AuthError) in try identity(json).get() } == reason)
  }

  @Test(
    "exp and nbf are compared with now within the leeway, inclusive at the edge",
    arguments: [
      (#"{"sub":"u","exp":1800000000}"#, 0.0, AuthError.Reason?.none),
      (#"{"sub":"u","exp":1799999999.9}"#, 0, .expired),
      (#"{"sub":"u","exp":1799999940}"#, 60, nil),
      (#"{"sub":"u","exp":1799999939}"#, 60, .expired),
      (#"{"sub":"u","nbf":1800000000}"#, 0, nil),
      (#"{"sub":"u","nbf":1800000000.1}"#, 0, .notYetValid),
      (#"{"sub":"u","nbf":1800000060}"#, 60, nil),
    ])
  func leeway(json: String, leeway: Double, reason: AuthError.Reason?) {
    let options = JWTVerifier.Options(leeway: leeway)
    #expect(
      failureReason { () throws(AuthError) in try identity(json, options: options).get() } == reason
    )
  }

  @Test(
    "iss and aud are checked only when configured",
    arguments: [
      (#"{"sub":"u","iss":"i","aud":"a"}"#, "i", "a", AuthError.Reason?.none),
      (#"{"sub":"u","iss":"i","aud":["x","a"]}"#, "i", "a", nil),
      (#"{"sub":"u","iss":"i","aud":["x"]}"#, "i", "a", .wrongAudience),
      (#"{"sub":"u","iss":"i","aud":[["a"]]}"#, "i", "a", .wrongAudience),
      (#"{"sub":"u","iss":"i","aud":7}"#, "i", "a", .wrongAudience),
      (#"{"sub":"u","iss":"I","aud":"a"}"#, "i", "a", .wrongIssuer),
      (#"{"sub":"u","iss":["i"],"aud":"a"}"#, "i", "a", .wrongIssuer),
      (#"{"sub":"u","iss":1,"aud":7}"#, nil, nil, nil),
    ] as [(String, String?, String?, AuthError.Reason?)])
  func issuerAndAudience(
    json: String, issuer: String?, audience: String?, reason: AuthError.Reason?
  ) {
    let options = JWTVerifier.Options(issuer: issuer, audience: audience)
    #expect(
      failureReason { () throws(AuthError) in try identity(json, options: options).get() } == reason
    )
  }

  @Test("the missingUserID detail names the configured claims")
  func missingUserIDDetail() {
    let options = JWTVerifier.Options(userClaims: ["uid", "login"])
    guard case .failure(let error) = identity(#"{"sub":"u"}"#, options: options) else {
      Issue.record("expected missingUserID")
      return
    }
    #expect(error.reason == .missingUserID)
    #expect(error.detail.contains("uid, login"))
  }
}

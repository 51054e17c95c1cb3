import Protocol
import Testing

@testable import Auth

@Suite("JWTHeader")
struct JWTHeaderTests {
  private func header(json: String) -> Result<JWTHeader, AuthError> {
    header(encoded: Base64.encode(Array(json.utf8), alphabet: .url))
  }

  private func header(encoded: String) -> Result<JWTHeader, AuthError> {
    Array(encoded.utf8).withUnsafeBufferPointer { bytes in
      Result { () throws(AuthError) in try JWTHeader(encoded: bytes) }
    }
  }

  @Test(
    "alg and kid are read; other members are ignored",
    arguments: [
      (#"{"alg":"HS256"}"#, JWTAlgorithm.hs256, String?.none),
      (#"{"typ":"JWT","alg":"EdDSA","kid":"k-1"}"#, .edDSA, "k-1"),
      (#" { "alg" : "PS256" , "x5t" : "abc" , "kid" : "" } "#, .ps256, ""),
    ])
  func readsAlgAndKid(json: String, algorithm: JWTAlgorithm, kid: String?) throws {
    let parsed = try header(json: json).get()
    #expect(parsed.algorithm == algorithm)
    #expect(parsed.kid == kid)
  }

  @Test("every JWTAlgorithm name is recognised", arguments: JWTAlgorithm.allCases)
  func everyAlgorithmRecognised(algorithm: JWTAlgorithm) throws {
    #expect(try header(json: #"{"alg":"\#(algorithm.rawValue)"}"#).get().algorithm == algorithm)
  }

  @Test(
    "none in any spelling and unknown names are unsupportedAlgorithm",
    arguments: ["none", "None", "NONE", "", "HS1", "hs256", "RS1", "ES512", "PS384", "Ed25519"])
  func unsupportedAlgorithms(name: String) {
    #expect(
      failureReason { () throws(AuthError) in try header(json: #"{"alg":"\#(name)"}"#).get() }
        == .unsupportedAlgorithm)
  }

  @Test(
    "headers that are not an object with a string alg are malformed",
    arguments: [
      "", "null", "[]", #""HS256""#, "{}", #"{"alg":null}"#, #"{"alg":1}"#, #"{"alg":["HS256"]}"#,
      #"{"alg":"HS256","kid":1}"#, #"{"alg":"HS256","kid":null}"#, #"{"alg":"HS256","crit":[]}"#,
      #"{"alg":"HS256","alg":"HS256"}"#, #"{"alg":"HS256"} x"#, #"{"alg":"HS256",}"#,
    ])
  func malformedJSON(json: String) {
    #expect(failureReason { () throws(AuthError) in try header(json: json).get() } == .malformed)
  }

  @Test(
    "headers that are not unpadded base64url are malformed",
    arguments: [
      "eyJhbGciOiJIUzI1NiJ9=", "eyJhbGciOiJIUzI1NiJ9==", "eyJhbGci*iJIUzI1NiJ9", "e",
      "eyJ hbGciOiJIUzI1NiJ9",
    ])
  func malformedBase64(encoded: String) {
    #expect(
      failureReason { () throws(AuthError) in try header(encoded: encoded).get() } == .malformed)
  }
}

import Foundation
import Protocol
import Testing

@testable import Auth

@Suite("JWTKey+JWKS")
struct JWTKeyJWKSTests {
  @Test("the fixture set yields its signature keys, with kids and alg restrictions, in order")
  func fixtureSetKeys() throws {
    let keys = try JWTKey.jwks(TestFixtures.bytes("jwks.json"))
    #expect(keys.map(\.kid) == ["rsa-rs256", "rsa-any", "ec-256", "ec-384", "ed-1", "hmac-1"])
    #expect(
      keys.map(\.algorithms) == [
        [.rs256], [.rs256, .rs384, .rs512, .ps256], [.es256], [.es384], [.edDSA], [.hs256],
      ])
  }

  @Test("a single JWK object is read as a set of one")
  func singleJWK() throws {
    let keys = try JWTKey.jwks(Array(#"{"kty":"oct","k":"c2VjcmV0","kid":"solo"}"#.utf8))
    #expect(keys.map(\.kid) == ["solo"])
    #expect(keys.first?.algorithms == [.hs256, .hs384, .hs512])
  }

  @Test("the set loads from a file, and a missing file is keyFileUnreadable")
  func fromFile() throws {
    #expect(try JWTKey.jwks(contentsOfFile: TestFixtures.url("jwks.json").path).count == 6)
    #expect(
      failureReason { () throws(AuthError) in try JWTKey.jwks(contentsOfFile: "/nonexistent/jwks") }
        == .keyFileUnreadable)
  }

  /// An EC JWK of the fixture set with its `y` changed so that the point leaves the curve.
  static func offCurveJWK() -> String {
    let text = TestFixtures.text("jwks.json")
    let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    let keys = json?["keys"] as? [[String: Any]] ?? []
    let ec = keys.first { $0["kid"] as? String == "ec-256" } ?? [:]
    var y = Base64.decode(ec["y"] as? String ?? "", alphabet: .url) ?? []
    if !y.isEmpty { y[y.count - 1] ^= 1 }
    let x = ec["x"] as? String ?? ""
    return #"{"kty":"EC","crv":"P-256","x":"\#(x)","y":"\#(Base64.encode(y, alphabet: .url))"}"#
  }

  static let skipped: [String] = [
    #"{"kty":"oct","k":"c2VjcmV0","use":"enc"}"#,
    #"{"kty":"oct","k":"c2VjcmV0","key_ops":["encrypt"]}"#,
    #"{"kty":"oct","k":"c2VjcmV0","alg":"A128KW"}"#,
    #"{"kty":"EC","crv":"P-521","x":"AA","y":"AA"}"#,
    #"{"kty":"OKP","crv":"X25519","x":"AA"}"#,
    #"{"kty":"OKP","crv":"Ed448","x":"AA"}"#,
    #"{"kty":"DSA"}"#,
  ]

  @Test("keys not meant for verification are skipped, leaving the set empty", arguments: skipped)
  func skippedKeys(jwk: String) {
    #expect(
      failureReason { () throws(AuthError) in try JWTKey.jwks(Array("{\"keys\":[\(jwk)]}".utf8)) }
        == .invalidKey)
    let withGood = "{\"keys\":[\(jwk),{\"kty\":\"oct\",\"k\":\"c2VjcmV0\",\"kid\":\"good\"}]}"
    #expect((try? JWTKey.jwks(Array(withGood.utf8)))?.map(\.kid) == ["good"])
  }

  /// 32 zero bytes in base64url.
  static let zero32 = String(repeating: "A", count: 43)

  static let invalid: [String] = [
    "not json",
    "[]",
    #"{"keys":{}}"#,
    #"{"other":[]}"#,
    #"{"keys":[]}"#,
    #"{"keys":[1]}"#,
    #"{"keys":[{"k":"c2VjcmV0"}]}"#,
    #"{"keys":[{"kty":"oct","k":""}]}"#,
    #"{"keys":[{"kty":"oct","k":"c2VjcmV0","alg":"RS256"}]}"#,
    #"{"keys":[{"kty":"oct","k":"c2VjcmV0="}]}"#,
    #"{"keys":[{"kty":"oct","k":"c2VjcmV0","kid":5}]}"#,
    #"{"keys":[{"kty":"RSA","n":"AQAB"}]}"#,
    #"{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}"#,
    #"{"keys":[{"kty":"RSA","n":"","e":"AQAB"}]}"#,
    #"{"keys":[{"kty":"RSA","n":"a+b/","e":"AQAB"}]}"#,
    #"{"keys":[{"kty":"EC","crv":"P-256","x":"AAAA","y":"AAAA"}]}"#,
    // The point (0, 0), which is not on P-256.
    #"{"keys":[{"kty":"EC","crv":"P-256","x":"\#(zero32)","y":"\#(zero32)"}]}"#,
    #"{"keys":[{"kty":"OKP","crv":"Ed25519","x":"AAAA"}]}"#,
    #"{"keys":[{"kty":"OKP","crv":"Ed25519","alg":"ES256","#
      + #""x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#,
  ]

  @Test("malformed sets and keys are invalidKey", arguments: invalid)
  func invalidSets(json: String) {
    #expect(
      failureReason { () throws(AuthError) in try JWTKey.jwks(Array(json.utf8)) } == .invalidKey)
  }

  @Test("an EC point off the curve is invalidKey")
  func offCurvePoint() {
    let json = "{\"keys\":[\(Self.offCurveJWK())]}"
    #expect(json.contains("P-256"))
    #expect(
      failureReason { () throws(AuthError) in try JWTKey.jwks(Array(json.utf8)) } == .invalidKey)
  }

  @Test("the RFC 8037 A.2 Ed25519 key verifies the RFC 8037 A.4 token")
  func rfc8037Example() throws {
    let jwk = #"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#
    let keys = try JWTKey.jwks(Array(jwk.utf8))
    // RFC 8037 A.4 signs the payload "Example of Ed25519 signing", which is not JSON: the
    // signature must verify and the payload must then be refused as malformed.
    let token =
      "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
      + ".hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
    #expect(
      failureReason { () throws(AuthError) in try JWTVerifier(keys: keys).verify(token, now: 0) }
        == .malformed)
    let tampered = token.replacingOccurrences(of: ".hgyY", with: ".hgyZ")
    #expect(
      failureReason { () throws(AuthError) in try JWTVerifier(keys: keys).verify(tampered, now: 0) }
        == .badSignature)
  }
}

import Testing

@testable import Auth

@Suite("JWTKey+PEM")
struct JWTKeyPEMTests {
  static let accepted: [(String, Set<JWTAlgorithm>)] = [
    ("test-only-rsa-2048-public.pem", [.rs256, .rs384, .rs512, .ps256]),
    ("test-only-rsa-2048-certificate.pem", [.rs256, .rs384, .rs512, .ps256]),
    ("test-only-ec-p256-public.pem", [.es256]),
    ("test-only-ec-p384-public.pem", [.es384]),
    ("test-only-ed25519-public.pem", [.edDSA]),
  ]

  @Test("public keys and certificates load with their family's algorithms", arguments: accepted)
  func acceptedKeys(file: String, algorithms: Set<JWTAlgorithm>) throws {
    let key = try JWTKey.publicKeyPEM(TestFixtures.text("keys/\(file)"), kid: "k")
    #expect(key.algorithms == algorithms)
    #expect(key.kid == "k")
    let fromFile = try JWTKey.publicKeyPEM(
      contentsOfFile: TestFixtures.url("keys/\(file)").path)
    #expect(fromFile.algorithms == algorithms)
    #expect(fromFile.kid == nil)
  }

  static let refusedFiles = [
    "test-only-rsa-1024-public.pem",
    "test-only-ec-secp256k1-public.pem",
    "test-only-ec-p521-public.pem",
    "test-only-ed25519-private.pem",
  ]

  @Test("short RSA, other curves and private keys are invalidKey", arguments: refusedFiles)
  func refusedKeys(file: String) {
    let pem = TestFixtures.text("keys/\(file)")
    #expect(failureReason { () throws(AuthError) in try JWTKey.publicKeyPEM(pem) } == .invalidKey)
  }

  static let garbage = [
    "",
    "not a pem",
    "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    "-----BEGIN PUBLIC KEY-----\n",
  ]

  @Test("text without a readable key is invalidKey", arguments: garbage)
  func garbageText(pem: String) {
    #expect(failureReason { () throws(AuthError) in try JWTKey.publicKeyPEM(pem) } == .invalidKey)
  }

  @Test("a missing file is keyFileUnreadable and names the path")
  func missingFile() {
    do {
      _ = try JWTKey.publicKeyPEM(contentsOfFile: "/nonexistent/key.pem")
      Issue.record("expected keyFileUnreadable")
    } catch {
      #expect(error.reason == .keyFileUnreadable)
      #expect(error.detail.contains("/nonexistent/key.pem"))
    }
  }
}

@testable import Auth
import Protocol

/// libFuzzer entry point of the `jwt` target.
@_cdecl("LLVMFuzzerTestOneInput")
public func jwtVerifierFuzzEntry(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  JWTVerifierFuzz.run(FuzzInput(start, count))
  return 0
}

/// Fuzzes `JWTVerifier` (with an HMAC secret, RSA, EC P-256 and Ed25519 public keys) and the
/// Auth module's strict JSON parser. The split byte is unused.
///
/// Options, bits 0-1, the mode:
/// - 0: the data is a token, as a client sends it;
/// - 1: the data is `header JSON 0x00 payload JSON 0x00 signature bytes`, each part base64url
///   encoded into a token; with bit 2 the signing input is HMAC-signed with the secret
///   (bits 3-4 pick HS256, HS384, HS512), so the fuzzer reaches the claim checks;
/// - 2: the data is JSON for Auth's parser, checked against Protocol's `JSONParser`;
/// - 3: as 0, against keys that have key ids (the `kid` path).
/// Bit 5 requires an issuer and an audience.
///
/// Invariants: verification is total; a token verifies only when it carries an HMAC
/// signature (nobody can forge RSA, EC or Ed25519 signatures, so a success there is a
/// verification bug) and then names a non-empty user and keeps its payload byte for byte;
/// whatever Auth's stricter parser accepts, Protocol's parser accepts too.
enum JWTVerifierFuzz {
  static let secret = Array("fuzz-secret-of-thirty-two-bytes-at-least".utf8)
  static let now = 1_700_000_000.0

  static let ecP256PEM = """
    -----BEGIN PUBLIC KEY-----
    MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEjyFhHvy9VII+7WnpYuK7oX4bp3ha
    b+L/+8LlJVi3K7gzNslgUTdbKh3UuA5bwk51RQDcolO/e9+4qFcZDOvYSg==
    -----END PUBLIC KEY-----
    """
  static let ed25519PEM = """
    -----BEGIN PUBLIC KEY-----
    MCowBQYDK2VwAyEAiTvZacCl+e+JYyHXNV23pGZ+ExRFsk8J0i30bv4UA2I=
    -----END PUBLIC KEY-----
    """
  static let rsaPEM = """
    -----BEGIN PUBLIC KEY-----
    MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAiBMImQqegND+d1Fujxmk
    yhG+CfZXeOzpmX85kGxGU7cLw6m9yKIPloclEGhmMBpitcSCzKsPPV99B6uM7LXe
    hddoIBn9GkTCE8Jw//vl0iilsQSvctTBsV20gsPcG0Nrrn+2mDsi/kB3KM2yhiNV
    DNlgfTaRCWn7+RhEidaunjJTBUQiWokM6O0zVvY5o/WU84FtZTDnEIlmbFpYv1sA
    y7RH4wzb56JWPggXizegPS61v9XU+kfPy2EtuYbH1Ayp2DIrkih5JQthkqVj+y+J
    6NnY7tl6K42616z4ZAlUcn5T8SGIr2W/dhJsOPauWrZV+nT65m6BsdiuhMIfxIx/
    5QIDAQAB
    -----END PUBLIC KEY-----
    """

  /// The same keys, without and with key ids (built once; OpenSSL parses PEM slowly).
  static let keys = makeKeys(kids: false)
  static let keysWithKids = makeKeys(kids: true)
  static let hmacAlgorithms: [JWTAlgorithm] = [.hs256, .hs384, .hs512, .hs256]

  static func makeKeys(kids: Bool) -> [JWTKey] {
    do {
      return [
        JWTKey.hmac(secret: secret, kid: kids ? "hmac" : nil),
        try JWTKey.publicKeyPEM(ecP256PEM, kid: kids ? "ec" : nil),
        try JWTKey.publicKeyPEM(ed25519PEM, kid: kids ? "ed" : nil),
        try JWTKey.publicKeyPEM(rsaPEM, kid: kids ? "rsa" : nil),
      ]
    } catch {
      fatalError("fuzz keys do not load: \(error)")
    }
  }

  static func run(_ input: FuzzInput) {
    var options = JWTVerifier.Options()
    if input.option(5) {
      options.issuer = "fuzz-issuer"
      options.audience = "fuzz-audience"
    }
    switch input.choice(at: 0) {
    case 0:
      verify(String(decoding: input.data, as: UTF8.self), JWTVerifier(keys: keys, options: options))
    case 1:
      verifyAssembled(input, JWTVerifier(keys: keys, options: options))
    case 2:
      compareJSONParsers(input.data)
    default:
      let verifier = JWTVerifier(keys: keysWithKids, options: options)
      verify(String(decoding: input.data, as: UTF8.self), verifier)
    }
  }

  /// Verifies `token`; a success must come from the HMAC key.
  @discardableResult
  static func verify(_ token: String, _ verifier: JWTVerifier) -> Identity? {
    let identity: Identity
    do {
      identity = try verifier.verify(token, now: now)
    } catch {
      FuzzCheck.require(!error.detail.isEmpty, "error without a detail")
      return nil
    }
    FuzzCheck.require(!identity.userID.isEmpty, "verified token without a user id")
    let header = token.split(separator: ".", omittingEmptySubsequences: false).first ?? ""
    let decoded = Base64.decode(String(header), alphabet: .url) ?? []
    let algorithm = (Auth.JSONParser.parse(decoded)?.object?["alg"]?.string) ?? ""
    FuzzCheck.require(
      algorithm.hasPrefix("HS"), "a token with alg \(algorithm) verified without its private key")
    return identity
  }

  /// Mode 1: builds the token from its decoded parts, signing it when asked.
  static func verifyAssembled(_ input: FuzzInput, _ verifier: JWTVerifier) {
    let parts = input.data.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
    let header = parts.first.map(Array.init) ?? []
    let payload = parts.count > 1 ? Array(parts[1]) : []
    var token: [UInt8] = []
    Base64.encode(header, alphabet: .url, into: &token)
    token.append(UInt8(ascii: "."))
    Base64.encode(payload, alphabet: .url, into: &token)
    var signature = parts.count > 2 ? Array(parts[2]) : []
    if input.option(2) {
      let algorithm = hmacAlgorithms[input.choice(at: 3)]
      guard let context = HMACKeyContext(secret: secret, algorithm: algorithm),
        let mac = token.withUnsafeBytes({ context.sign($0) })
      else {
        fatalError("OpenSSL cannot compute an HMAC")
      }
      signature = mac
    }
    token.append(UInt8(ascii: "."))
    Base64.encode(signature, alphabet: .url, into: &token)
    guard let identity = verify(String(decoding: token, as: UTF8.self), verifier) else { return }
    FuzzCheck.require(identity.claimsJSON == payload, "identity does not keep the payload")
  }

  /// Mode 2: Auth's parser refuses more (duplicate names, lone surrogates, overflowing
  /// numbers, depth over 32) but never accepts what `JSON.parse` semantics refuse.
  static func compareJSONParsers(_ bytes: [UInt8]) {
    guard Auth.JSONParser.parse(bytes) != nil else { return }
    do {
      _ = try Protocol.JSONParser.parse(bytes)
    } catch {
      FuzzCheck.require(false, "Auth accepts JSON that Protocol refuses: \(error.message)")
    }
  }
}

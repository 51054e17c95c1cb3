import Foundation
import Protocol
import Testing

@testable import Auth

@Suite("JWTVerifier")
struct JWTVerifierTests {
  static let vectors = TestFixtures.file.vectors
  static let failing = vectors.filter { $0.error != nil }

  private func verifier(for vector: TestFixtures.Vector) throws -> JWTVerifier {
    let keys = try #require(TestFixtures.keySets[vector.keys], "unknown key set \(vector.keys)")
    return JWTVerifier(keys: keys, options: vector.verifierOptions)
  }

  @Test("the vector table is the full PyJWT set, valid and invalid")
  func vectorTableIsComplete() {
    #expect(Self.vectors.count >= 100)
    #expect(Self.failing.count >= 60)
    #expect(Self.vectors.count - Self.failing.count >= 30)
    let reasons = Set(Self.failing.compactMap(\.error))
    #expect(
      reasons == [
        "missingToken", "malformed", "tokenTooLarge", "unsupportedAlgorithm",
        "algorithmMismatch", "unknownKey", "badSignature", "expired", "notYetValid",
        "wrongIssuer", "wrongAudience", "missingUserID",
      ])
  }

  @Test("verify gives the vector's identity or error", arguments: vectors)
  func verifyMatchesVector(_ vector: TestFixtures.Vector) throws {
    let verifier = try verifier(for: vector)
    let result = Result { () throws(AuthError) in
      try verifier.verify(vector.token, now: TestFixtures.now)
    }
    switch (result, vector.expect, vector.error) {
    case (.success(let identity), let expect?, nil):
      #expect(identity.userID == expect.userID)
      #expect(identity.expiresAt == expect.expiresAt)
      #expect(identity.roles == expect.roles)
      let payload = vector.token.split(separator: ".", omittingEmptySubsequences: false)[1]
      #expect(identity.claimsJSON == Base64.decode(String(payload), alphabet: .url))
    case (.failure(let error), nil, let reason?):
      #expect(error.reason.rawValue == reason, "\(error)")
    default:
      Issue.record(
        "got \(result), expected \(vector.expect.map { "\($0)" } ?? vector.error ?? "?")")
    }
  }

  @Test("an error's detail never quotes the token or any of its parts", arguments: failing)
  func errorDetailOmitsToken(_ vector: TestFixtures.Vector) throws {
    let verifier = try verifier(for: vector)
    do {
      _ = try verifier.verify(vector.token, now: TestFixtures.now)
      Issue.record("expected \(vector.error ?? "?")")
    } catch {
      let text = error.detail + error.description
      for part in vector.token.split(separator: ".") where part.count >= 4 {
        #expect(!text.contains(part))
      }
      #expect(!text.contains(TestFixtures.file.hmacSecret))
    }
  }

  @Test("verify accepts a Substring as well as a String")
  func verifyAcceptsSubstring() throws {
    let vector = try #require(Self.vectors.first { $0.name == "valid HS256 with hmac keys" })
    let header = "Bearer " + vector.token
    let token = header.dropFirst("Bearer ".count)
    let identity = try verifier(for: vector).verify(token, now: TestFixtures.now)
    #expect(identity.userID == "user-1")
  }

  @Test("verify refuses every token when no key is configured")
  func verifyWithoutKeysIsAlgorithmMismatch() throws {
    let vector = try #require(Self.vectors.first { $0.name == "valid HS256 with hmac keys" })
    let verifier = JWTVerifier(keys: [])
    #expect(
      failureReason { () throws(AuthError) in try verifier.verify(vector.token, now: 0) }
        == .algorithmMismatch)
  }

  @Test("one verifier used from many tasks at once gives the same answers")
  func verifyConcurrently() async throws {
    let verifier = JWTVerifier(keys: try #require(TestFixtures.keySets["mixed"]))
    let tokens = Self.vectors.filter { $0.keys == "pem" || $0.keys == "hmac" }.map(\.token)
    let serial = tokens.map { token in
      Result { () throws(AuthError) in try verifier.verify(token, now: TestFixtures.now) }
    }
    let parallel = await withTaskGroup(of: (Int, Result<Identity, AuthError>).self) { group in
      for (index, token) in tokens.enumerated() {
        group.addTask {
          (
            index,
            Result { () throws(AuthError) in try verifier.verify(token, now: TestFixtures.now) }
          )
        }
      }
      var results = [Result<Identity, AuthError>?](repeating: nil, count: tokens.count)
      for await (index, result) in group { results[index] = result }
      return results
    }
    #expect(parallel == serial.map(Optional.some))
  }
}

import Testing

@testable import Auth

@Suite("CompactJWS")
struct CompactJWSTests {
  private func split(_ token: String) -> Result<[String], AuthError> {
    Array(token.utf8).withUnsafeBufferPointer { bytes in
      Result { () throws(AuthError) in
        let parts = try CompactJWS(splitting: bytes)
        return [parts.header, parts.payload, parts.signature, parts.signingInput].map {
          String(decoding: bytes[$0], as: UTF8.self)
        }
      }
    }
  }

  @Test(
    "three parts split at the dots, the signing input spans header and payload",
    arguments: [
      ("a.b.c", ["a", "b", "c", "a.b"]),
      ("aa.bbb.", ["aa", "bbb", "", "aa.bbb"]),
      ("h.p.s-_", ["h", "p", "s-_", "h.p"]),
    ])
  func splitsThreeParts(token: String, expected: [String]) throws {
    #expect(try split(token).get() == expected)
  }

  @Test(
    "other shapes are malformed",
    arguments: ["", "abc", "a.b", "a.b.c.d", "a.b.c.", ".b.c", "a..c", "..", "...", "."])
  func otherShapesAreMalformed(token: String) {
    #expect(failureReason { () throws(AuthError) in try split(token).get() } == .malformed)
  }
}

import Testing

@testable import Auth

@Suite("constantTimeEquals")
struct ConstantTimeEqualsTests {
  @Test(
    "equal bytes compare equal; any difference or length mismatch does not",
    arguments: [
      ([UInt8](), [UInt8](), true),
      ([1, 2, 3], [1, 2, 3], true),
      ([1, 2, 3], [1, 2, 4], false),
      ([0, 2, 3], [1, 2, 3], false),
      ([1, 2, 3], [1, 2], false),
      ([], [0], false),
      ([0x80], [0x00], false),
    ])
  func compares(a: [UInt8], b: [UInt8], equal: Bool) {
    #expect(constantTimeEquals(a, b) == equal)
    #expect(constantTimeEquals(b, a) == equal)
  }

  @Test("works across collection types, as the API-key check uses it")
  func mixedCollections() {
    #expect(constantTimeEquals("api-key".utf8, Array("api-key".utf8)))
    #expect(!constantTimeEquals("api-key".utf8, "api-kez".utf8))
    #expect(constantTimeEquals(Array("xkeyx".utf8)[1..<4], "key".utf8))
  }
}

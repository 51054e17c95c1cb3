import Testing

@testable import Auth

@Suite("HMACKeyContext")
struct HMACKeyContextTests {
  /// RFC 4231 §4.3 (test case 2) and §4.7 (test case 6, a key longer than the block).
  static let rfc4231: [(JWTAlgorithm, [UInt8], String, String)] = [
    (
      .hs256, Array("Jefe".utf8), "what do ya want for nothing?",
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    ),
    (
      .hs384, Array("Jefe".utf8), "what do ya want for nothing?",
      "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
        + "8e2240ca5e69e2c78b3239ecfab21649"
    ),
    (
      .hs512, Array("Jefe".utf8), "what do ya want for nothing?",
      "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
        + "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
    ),
    (
      .hs256, [UInt8](repeating: 0xAA, count: 131),
      "Test Using Larger Than Block-Size Key - Hash Key First",
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
    ),
    (
      .hs512, [UInt8](repeating: 0xAA, count: 131),
      "Test Using Larger Than Block-Size Key - Hash Key First",
      "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
        + "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"
    ),
    // A zero-length key is legal HMAC (RFC 2104 pads it), not "keep the previous key".
    (.hs256, [], "", "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"),
  ]

  private static func hex(_ bytes: [UInt8]) -> String {
    bytes.map {
      String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16)
    }
    .joined()
  }

  @Test("sign gives the RFC 4231 MACs, and each MAC verifies", arguments: rfc4231)
  func rfc4231Vectors(algorithm: JWTAlgorithm, key: [UInt8], data: String, mac: String) throws {
    let context = try #require(HMACKeyContext(secret: key, algorithm: algorithm))
    let message = Array(data.utf8)
    let signed = try #require(message.withUnsafeBytes { context.sign($0) })
    #expect(Self.hex(signed) == mac)
    message.withUnsafeBytes { bytes in
      #expect(context.verify(signed, over: bytes))
      var wrong = signed
      wrong[wrong.count - 1] ^= 1
      #expect(!context.verify(wrong, over: bytes))
      #expect(!context.verify(Array(signed.dropLast()), over: bytes))
    }
  }

  @Test("the same keyed context signs repeatedly without carrying state over")
  func reusable() throws {
    let context = try #require(HMACKeyContext(secret: Array("Jefe".utf8), algorithm: .hs256))
    let message = Array("what do ya want for nothing?".utf8)
    let first = message.withUnsafeBytes { context.sign($0) }
    let second = message.withUnsafeBytes { context.sign($0) }
    #expect(first != nil && first == second)
  }

  @Test("only HMAC algorithms make a context", arguments: JWTAlgorithm.allCases)
  func onlyHMAC(algorithm: JWTAlgorithm) {
    #expect(
      (HMACKeyContext(secret: [1], algorithm: algorithm) != nil) == (algorithm.family == .hmac))
  }
}

import Testing

@testable import Auth

@Suite("OpenSSLPublicKey")
struct OpenSSLPublicKeyTests {
  @Test(
    "raw R||S becomes a DER SEQUENCE of two minimal INTEGERs",
    arguments: [
      // R = 1, S = 2 (leading zeros dropped).
      (
        [UInt8](repeating: 0, count: 31) + [1] + [UInt8](repeating: 0, count: 31) + [2],
        [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02] as [UInt8]
      ),
      // R with the high bit set gains a 0x00 so that it stays positive.
      (
        [0x80] + [UInt8](repeating: 0, count: 31) + [UInt8](repeating: 0, count: 31) + [0x7F],
        [0x30, 0x26, 0x02, 0x21, 0x00, 0x80] + [UInt8](repeating: 0, count: 31)
          + [0x02, 0x01, 0x7F]
      ),
    ])
  func derFromRaw(raw: [UInt8], der: [UInt8]) {
    #expect(OpenSSLPublicKey.derSignature(fromRaw: raw, width: 32) == der)
  }

  @Test("a raw signature of the wrong length has no DER form", arguments: [0, 63, 65, 96, 128])
  func wrongLength(count: Int) {
    #expect(
      OpenSSLPublicKey.derSignature(fromRaw: [UInt8](repeating: 1, count: count), width: 32) == nil)
  }

  @Test("a P-384 raw signature is 96 bytes")
  func p384Width() {
    #expect(
      OpenSSLPublicKey.derSignature(fromRaw: [UInt8](repeating: 1, count: 96), width: 48) != nil)
    #expect(
      OpenSSLPublicKey.derSignature(fromRaw: [UInt8](repeating: 1, count: 64), width: 48) == nil)
  }

  @Test("verify is false for a signature from another algorithm's shape")
  func verifyWrongShapes() throws {
    let key = try OpenSSLPublicKey(pem: TestFixtures.text("keys/test-only-ec-p256-public.pem"))
    let message: [UInt8] = Array("a.b".utf8)
    message.withUnsafeBytes { bytes in
      #expect(!key.verify([], over: bytes, algorithm: .es256))
      #expect(!key.verify([UInt8](repeating: 0, count: 64), over: bytes, algorithm: .es256))
      #expect(!key.verify([UInt8](repeating: 0xFF, count: 64), over: bytes, algorithm: .es256))
    }
  }
}

import Testing

@testable import Protocol

@Suite struct WebSocketMaskingKeyTests {
  static let key = WebSocketMaskingKey(0x37, 0xFA, 0x21, 0x3D)

  static func reference(_ bytes: [UInt8]) -> [UInt8] {
    let keyBytes: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
    return bytes.enumerated().map { $1 ^ keyBytes[$0 % 4] }
  }

  @Test func maskingKeyMasksRFCHelloExample() {
    var bytes = Array("Hello".utf8)
    Self.key.apply(to: &bytes, range: 0..<5, phase: 0)
    #expect(bytes == [0x7F, 0x9F, 0x4D, 0x51, 0x58])
  }

  @Test(arguments: [0, 1, 3, 7, 8, 9, 15, 16, 17, 100])
  func maskingKeyInPiecesAtAnyPhaseMatchesByteByByteXOR(length: Int) {
    let plain = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 1) }
    for firstPiece in 0...length {
      var bytes = plain
      Self.key.apply(to: &bytes, range: 0..<firstPiece, phase: 0)
      Self.key.apply(to: &bytes, range: firstPiece..<length, phase: firstPiece)
      #expect(bytes == Self.reference(plain), "pieces \(firstPiece) + \(length - firstPiece)")
    }
  }

  @Test func maskingKeyAppliedTwiceRestoresThePayload() {
    let plain = (0..<37).map { UInt8(truncatingIfNeeded: $0) }
    var bytes = plain
    Self.key.apply(to: &bytes, range: 0..<37, phase: 0)
    #expect(bytes != plain)
    Self.key.apply(to: &bytes, range: 0..<37, phase: 0)
    #expect(bytes == plain)
  }
}

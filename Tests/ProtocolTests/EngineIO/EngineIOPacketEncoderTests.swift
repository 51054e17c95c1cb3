import Testing

@testable import Protocol

@Suite struct EngineIOPacketEncoderTests {
  static let records: [(EngineIOPacket, String)] = [
    (.text(.open, "{}"), "0{}"), (.text(.close, ""), "1"), (.text(.ping, ""), "2"),
    (.text(.pong, "probe"), "3probe"), (.message("hello"), "4hello"), (.text(.upgrade, ""), "5"),
    (.text(.noop, ""), "6"), (.binary([1, 2, 3, 4]), "bAQIDBA=="), (.binary([]), "b"),
    (.message("é€"), "4é€"),
  ]

  @Test(arguments: records)
  func encoderWritesRecord(packet: EngineIOPacket, expected: String) {
    var output: [UInt8] = [0x7A]
    EngineIOPacketEncoder.encodeRecord(packet, into: &output)
    #expect(output == [0x7A] + Array(expected.utf8))
  }

  @Test func encoderJoinsPayloadWithSeparatorsAndNoTrailingOne() {
    var output: [UInt8] = []
    EngineIOPacketEncoder.encodePayload(
      [.message("hello"), .text(.ping, ""), .binary([1, 2, 3, 4])], into: &output)
    #expect(output == Array("4hello\u{1E}2\u{1E}bAQIDBA==".utf8))
  }

  @Test func encoderWritesSinglePacketPayloadWithoutSeparator() {
    var output: [UInt8] = []
    EngineIOPacketEncoder.encodePayload([EngineIOPacket.text(.noop, "")], into: &output)
    #expect(output == Array("6".utf8))
    output = []
    EngineIOPacketEncoder.encodePayload([EngineIOPacket](), into: &output)
    #expect(output.isEmpty)
  }

  @Test func encoderPayloadRoundTripsThroughTheDecoder() throws {
    var random = SeededRandom(seed: 4)
    for _ in 0..<200 {
      let packets: [EngineIOPacket] = (0..<Int.random(in: 1...6, using: &random)).map { _ in
        if Bool.random(using: &random) {
          return .binary(
            (0..<Int.random(in: 0...20, using: &random)).map { _ in
              UInt8.random(in: 0...255, using: &random)
            })
        }
        let type = EngineIOPacketType.allCases.randomElement(using: &random) ?? .message
        let text = String(
          (0..<Int.random(in: 0...10, using: &random)).map { _ in
            ["a", "\"", "é", "😀", "{", "\u{7F}", "\u{1F}"].randomElement(using: &random) ?? "a"
          })
        return .text(type, text)
      }
      var body: [UInt8] = []
      EngineIOPacketEncoder.encodePayload(packets, into: &body)
      #expect(try EngineIOPacketDecoder.decodePayload(body) == packets)
    }
  }
}

import Testing

@testable import Protocol

/// Seeded mutation testing of polling bodies: a mutated body decodes to packets that
/// re-encode to exactly the same bytes, or throws a typed error; it never traps.
@Suite struct EngineIOPacketDecoderMutationTests {
  static let corpus: [[UInt8]] = [
    Array("4hello\u{1E}2\u{1E}bAQIDBA==".utf8),
    Array("40{\"token\":\"eyJhbGciOi\"}".utf8),
    Array("42[\"hey\",\"Jude\"]\u{1E}3\u{1E}1".utf8),
    Array("4héllo €😀\u{1E}b/w==\u{1E}6".utf8),
    Array("2probe".utf8),
  ]

  @Test func payloadDecoderSurvivesFiveThousandSeededMutations() {
    var random = SeededRandom(seed: 0xE10)
    var errors = 0
    var successes = 0
    for _ in 0..<5000 {
      var body = Self.corpus.randomElement(using: &random) ?? []
      for _ in 0..<Int.random(in: 1...3, using: &random) {
        let position = Int.random(in: 0...max(0, body.count - 1), using: &random)
        let byte =
          [0x1E, 0x62, 0x37, 0x34, 0x3D, 0xC3, 0xA9, 0xFF, 0x00, 0x41]
          .randomElement(using: &random) ?? 0
        switch Int.random(in: 0..<4, using: &random) {
        case 0 where !body.isEmpty: body[position] = UInt8(byte)
        case 1: body.insert(UInt8(byte), at: min(position, body.count))
        case 2 where !body.isEmpty: body.remove(at: position)
        default: body = Array(body.prefix(position))
        }
      }
      do {
        let packets = try EngineIOPacketDecoder.decodePayload(body)
        successes += 1
        var reencoded: [UInt8] = []
        EngineIOPacketEncoder.encodePayload(packets, into: &reencoded)
        #expect(reencoded == body, "\(body)")
      } catch {
        errors += 1
        #expect(!error.message.isEmpty)
      }
      // The single-record entry point must agree on text it can be given.
      if let text = String(validating: body, as: UTF8.self), !body.contains(0x1E) {
        let single = Result { () throws(EngineIOParseError) in
          try EngineIOPacketDecoder.decode(text: text)
        }
        let viaPayload = Result { () throws(EngineIOParseError) in
          try EngineIOPacketDecoder.decodePayload(body)
        }
        #expect(single.map { [$0] } == viaPayload)
      }
    }
    #expect(errors > 500)
    #expect(successes > 500)
  }
}

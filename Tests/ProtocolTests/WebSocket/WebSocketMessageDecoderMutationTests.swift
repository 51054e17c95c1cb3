import Testing

@testable import Protocol

/// Seeded mutation testing: valid client streams with bytes flipped, inserted, deleted or
/// cut must decode to messages or a typed error, never trap, and the same way however the
/// bytes are split into reads.
@Suite struct WebSocketMessageDecoderMutationTests {
  static let corpus: [[UInt8]] = [
    WebSocketClientFrames.frame(.text, "Hello"),
    WebSocketClientFrames.frame(.text, "κόσμε 😀", fin: false)
      + WebSocketClientFrames.frame(.ping, "p")
      + WebSocketClientFrames.frame(.continuation, "!"),
    WebSocketClientFrames.frame(.binary, (0..<130).map { UInt8($0) }),
    WebSocketClientFrames.frame(.close, [0x03, 0xE8] + Array("bye".utf8)),
    WebSocketClientFrames.frame(.pong, []) + WebSocketClientFrames.frame(.text, "42[\"x\"]"),
    [UInt8](webSocketHex: "82 FF 00 00 00 00 00 00 00 03 01 02 03 04 05 06 07"),
  ]

  static func mutate(_ bytes: [UInt8], using random: inout SeededRandom) -> [UInt8] {
    var bytes = bytes
    for _ in 0..<Int.random(in: 1...4, using: &random) {
      let position = Int.random(in: 0...max(0, bytes.count - 1), using: &random)
      switch Int.random(in: 0..<5, using: &random) {
      case 0 where !bytes.isEmpty:
        bytes[position] ^= 1 << UInt8.random(in: 0...7, using: &random)
      case 1 where !bytes.isEmpty:
        bytes[position] = UInt8.random(in: 0...255, using: &random)
      case 2:
        bytes.insert(UInt8.random(in: 0...255, using: &random), at: min(position, bytes.count))
      case 3 where !bytes.isEmpty:
        bytes.remove(at: position)
      default:
        bytes = Array(bytes.prefix(position))
      }
    }
    return bytes
  }

  @Test func decoderSurvivesFiveThousandSeededMutationsWithSplitIndependentResults() {
    var random = SeededRandom(seed: 0x6455)
    let decoder = WebSocketMessageDecoder(maxMessageBytes: 100)
    var errors = 0
    for _ in 0..<5000 {
      let seed = Self.corpus.randomElement(using: &random) ?? []
      let bytes = Self.mutate(seed, using: &random)
      let whole = WebSocketDripFeed.allAtOnce(bytes, decoder: decoder)
      var sizes: [Int] = []
      while sizes.reduce(0, +) < bytes.count { sizes.append(Int.random(in: 1...9, using: &random)) }
      let split = WebSocketDripFeed.decode(bytes, chunkSizes: sizes, decoder: decoder)
      #expect(split == whole, "\(bytes)")
      if let error = whole.error {
        errors += 1
        #expect([1002, 1007, 1009].contains(error.closeCode))
        #expect(error.message.utf8.count <= 123)
      }
      for case .close(let code?, _) in whole.messages {
        #expect(WebSocketCloseCode.isValidOnWire(code))
      }
    }
    // The mutations must actually reach the error paths, or this test proves nothing.
    #expect(errors > 1000)
  }
}

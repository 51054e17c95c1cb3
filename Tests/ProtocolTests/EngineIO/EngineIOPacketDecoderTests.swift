import Testing

@testable import Protocol

@Suite struct EngineIOPacketDecoderTests {
  static let packets: [(String, EngineIOPacket)] = [
    (
      "0{\"sid\":\"abc\"}", .text(.open, "{\"sid\":\"abc\"}")
    ),
    ("1", .text(.close, "")), ("2", .text(.ping, "")), ("2probe", .text(.ping, "probe")),
    ("3", .text(.pong, "")), ("3probe", .text(.pong, "probe")),
    ("4hello", .text(.message, "hello")),
    ("42[\"hey\",\"Jude\"]", .message("2[\"hey\",\"Jude\"]")), ("5", .text(.upgrade, "")),
    ("6", .text(.noop, "")), ("4héllo €😀", .message("héllo €😀")),
    // A combining mark right after the digit must stay in the data.
    ("4\u{301}x", .message("\u{301}x")), ("4", .message("")),
    ("bAQIDBA==", .binary([1, 2, 3, 4])), ("b", .binary([])), ("b/w==", .binary([0xFF])),
  ]

  @Test(arguments: packets)
  func decoderReadsTextPacket(text: String, expected: EngineIOPacket) throws {
    #expect(try EngineIOPacketDecoder.decode(text: text) == expected)
  }

  static let badPackets: [(String, String)] = [
    ("", "empty packet"), ("7", "unknown packet type byte 55"),
    ("9x", "unknown packet type byte 57"),
    ("a", "unknown packet type byte 97"), ("x4", "unknown packet type byte 120"),
    (" 4", "unknown packet type byte 32"), ("/", "unknown packet type byte 47"),
    ("B", "unknown packet type byte 66"), ("b!!!", "binary packet is not valid base64"),
    ("bAQIDBA=", "binary packet is not valid base64"),
    ("bAQI", "binary packet is not valid base64"),
    ("bAQIDBA", "binary packet is not valid base64"),
    ("bAR==", "binary packet is not valid base64"),
  ]

  @Test(arguments: badPackets)
  func decoderRejectsBadTextPacket(text: String, message: String) {
    #expect(throws: EngineIOParseError(message: message)) {
      try EngineIOPacketDecoder.decode(text: text)
    }
  }

  @Test func decoderSplitsTheProtocolExamplePayload() throws {
    let body = Array("4hello\u{1E}2\u{1E}bAQIDBA==".utf8)
    #expect(
      try EngineIOPacketDecoder.decodePayload(body) == [
        .message("hello"), .text(.ping, ""), .binary([1, 2, 3, 4]),
      ])
  }

  @Test func decoderReadsSingleRecordPayloadWithoutSeparator() throws {
    #expect(try EngineIOPacketDecoder.decodePayload(Array("40".utf8)) == [.message("0")])
  }

  @Test func decoderHasNoPacketCountLimit() throws {
    let body = Array(repeating: "3", count: 10_000).joined(separator: "\u{1E}")
    let packets = try EngineIOPacketDecoder.decodePayload(Array(body.utf8))
    #expect(packets.count == 10_000)
    #expect(packets.allSatisfy { $0 == .text(.pong, "") })
  }

  static let badPayloads: [(String, [UInt8], String)] = [
    ("empty body", [], "empty packet"),
    ("trailing separator", Array("4a\u{1E}".utf8), "empty packet"),
    ("leading separator", Array("\u{1E}4a".utf8), "empty packet"),
    ("doubled separator", Array("4a\u{1E}\u{1E}4b".utf8), "empty packet"),
    ("type 7 record", Array("4a\u{1E}7".utf8), "unknown packet type byte 55"),
    ("bad base64 record", Array("b!!!\u{1E}4a".utf8), "binary packet is not valid base64"),
    ("invalid UTF-8", [0x34, 0xC0, 0x80], "packet is not valid UTF-8"),
    (
      "surrogate in second record", [0x34, 0x1E, 0x34, 0xED, 0xA0, 0x80],
      "packet is not valid UTF-8"
    ),
  ]

  @Test(arguments: badPayloads)
  func decoderRejectsBadPayload(name: String, body: [UInt8], message: String) {
    #expect(throws: EngineIOParseError(message: message)) {
      try EngineIOPacketDecoder.decodePayload(body)
    }
  }

  @Test func decoderAcceptsAnyCollectionAsBody() throws {
    let body = ByteBuffer(string: "4a\u{1E}3").readableBytesView
    #expect(try EngineIOPacketDecoder.decodePayload(body) == [.message("a"), .text(.pong, "")])
  }
}

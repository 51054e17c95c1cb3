import Testing

@testable import Protocol

@Suite struct WebSocketMessageDecoderTests {
  typealias Message = WebSocketMessageDecoder.Message
  static let server = WebSocketMessageDecoder()
  static let client = WebSocketMessageDecoder(requireMasking: false)

  /// Decodes `bytes` with every split and expects the same outcome each time.
  static func expectDecodes(
    _ bytes: [UInt8], to messages: [Message], decoder: WebSocketMessageDecoder = server,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for outcome in WebSocketDripFeed.everySplit(bytes, decoder: decoder) {
      #expect(
        outcome == WebSocketDecodeOutcome(messages: messages), sourceLocation: sourceLocation)
    }
  }

  // RFC 6455 §5.7 examples.
  static let rfcExamples: [(String, String, Bool, Message)] = [
    ("single-frame unmasked text", "81 05 48 65 6c 6c 6f", false, .text("Hello")),
    ("single-frame masked text", "81 85 37 fa 21 3d 7f 9f 4d 51 58", true, .text("Hello")),
    ("fragmented unmasked text", "01 03 48 65 6c 80 02 6c 6f", false, .text("Hello")),
    ("unmasked ping", "89 05 48 65 6c 6c 6f", false, .ping(Array("Hello".utf8))),
    ("masked pong", "8a 85 37 fa 21 3d 7f 9f 4d 51 58", true, .pong(Array("Hello".utf8))),
  ]

  @Test(arguments: rfcExamples)
  func decoderReadsRFC6455Section5_7Example(
    name: String, hex: String, masked: Bool, expected: Message
  ) {
    Self.expectDecodes(
      [UInt8](webSocketHex: hex), to: [expected], decoder: masked ? Self.server : Self.client)
  }

  @Test func decoderReads256ByteBinaryWith16BitLength() {
    let payload = (0..<256).map { UInt8(truncatingIfNeeded: $0) }
    let bytes = [UInt8](webSocketHex: "82 7E 01 00") + payload
    Self.expectDecodes(bytes, to: [.binary(payload)], decoder: Self.client)
  }

  @Test func decoderReads64KiBBinaryWith64BitLength() {
    let payload = (0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    let bytes = [UInt8](webSocketHex: "82 7F 00 00 00 00 00 01 00 00") + payload
    let outcome = WebSocketDripFeed.allAtOnce(bytes, decoder: Self.client)
    #expect(outcome == WebSocketDecodeOutcome(messages: [.binary(payload)]))
    let chunked = WebSocketDripFeed.decode(
      bytes, chunkSizes: [3, 7, 1000, 1, 4096], decoder: Self.client)
    #expect(chunked == outcome)
  }

  @Test func decoderReadsMaskedFramesOfEveryLengthForm() {
    for length in [0, 1, 7, 8, 9, 125, 126, 127, 65_535, 65_536, 70_001] {
      let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 5) }
      let outcome = WebSocketDripFeed.allAtOnce(
        WebSocketClientFrames.frame(.binary, payload), decoder: Self.server)
      #expect(outcome == WebSocketDecodeOutcome(messages: [.binary(payload)]), "length \(length)")
    }
  }

  @Test(arguments: [
    ("81 FE 00 05", "16-bit length of 5"), ("81 FF 00 00 00 00 00 00 00 05", "64-bit length of 5"),
  ])
  func decoderAcceptsNonMinimalLengthEncoding(header: String, name: String) {
    let key: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
    let masked = zip(Array("Hello".utf8), 0...).map { $0 ^ key[$1 % 4] }
    Self.expectDecodes([UInt8](webSocketHex: header) + key + masked, to: [.text("Hello")])
  }

  @Test func decoderJoinsMaskedFragmentsAcrossContinuations() {
    let bytes =
      WebSocketClientFrames.frame(.text, "Hel", fin: false)
      + WebSocketClientFrames.frame(.continuation, "", fin: false)
      + WebSocketClientFrames.frame(.continuation, "lo")
    Self.expectDecodes(bytes, to: [.text("Hello")])
  }

  @Test func decoderSurfacesControlFramesBetweenFragmentsImmediately() {
    let bytes =
      WebSocketClientFrames.frame(.binary, [1, 2], fin: false)
      + WebSocketClientFrames.frame(.ping, "a")
      + WebSocketClientFrames.frame(.continuation, [3], fin: false)
      + WebSocketClientFrames.frame(.pong, "b")
      + WebSocketClientFrames.frame(.continuation, [4])
    Self.expectDecodes(
      bytes, to: [.ping([0x61]), .pong([0x62]), .binary([1, 2, 3, 4])])
  }

  @Test func decoderReadsSeveralMessagesFromOneRead() {
    let bytes =
      WebSocketClientFrames.frame(.text, "2probe") + WebSocketClientFrames.frame(.text, "5")
      + WebSocketClientFrames.frame(.binary, [0xFF]) + WebSocketClientFrames.frame(.close, [])
    Self.expectDecodes(
      bytes, to: [.text("2probe"), .text("5"), .binary([0xFF]), .close(code: nil, reason: "")])
  }

  @Test func decoderReadsEmptyTextAndBinaryMessages() {
    let bytes = WebSocketClientFrames.frame(.text, "") + WebSocketClientFrames.frame(.binary, [])
    Self.expectDecodes(bytes, to: [.text(""), .binary([])])
  }

  @Test(arguments: [
    ([UInt8](), Message.close(code: nil, reason: "")),
    ([0x03, 0xE8], .close(code: 1000, reason: "")),
    ([0x03, 0xE9] + Array("bye".utf8), .close(code: 1001, reason: "bye")),
    ([0x0B, 0xB8] + Array("κόσμε".utf8), .close(code: 3000, reason: "κόσμε")),
    ([0x13, 0x87], .close(code: 4999, reason: "")),
  ])
  func decoderReadsClosePayload(payload: [UInt8], expected: Message) {
    Self.expectDecodes(WebSocketClientFrames.frame(.close, payload), to: [expected])
  }

  @Test func decoderJoinsMultiByteCharactersSplitAcrossFragments() {
    // "é" (C3 A9) split over two frames, "😀" (F0 9F 98 80) over three.
    let bytes =
      WebSocketClientFrames.frame(.text, [0x61, 0xC3], fin: false)
      + WebSocketClientFrames.frame(.continuation, [0xA9, 0xF0], fin: false)
      + WebSocketClientFrames.frame(.continuation, [0x9F], fin: false)
      + WebSocketClientFrames.frame(.continuation, [0x98, 0x80])
    Self.expectDecodes(bytes, to: [.text("aé😀")])
  }

  @Test func decoderAcceptsMessageOfExactlyTheLimit() {
    let decoder = WebSocketMessageDecoder(maxMessageBytes: 300)
    let single = WebSocketClientFrames.frame(.binary, [UInt8](repeating: 7, count: 300))
    Self.expectDecodes(single, to: [.binary([UInt8](repeating: 7, count: 300))], decoder: decoder)
    let fragmented =
      WebSocketClientFrames.frame(.text, String(repeating: "a", count: 200), fin: false)
      + WebSocketClientFrames.frame(.continuation, String(repeating: "b", count: 100))
    let text = String(repeating: "a", count: 200) + String(repeating: "b", count: 100)
    Self.expectDecodes(fragmented, to: [.text(text)], decoder: decoder)
  }

  @Test func decoderLimitCountsEachMessageSeparately() {
    let decoder = WebSocketMessageDecoder(maxMessageBytes: 10)
    let bytes =
      WebSocketClientFrames.frame(.text, "0123456789")
      + WebSocketClientFrames.frame(.binary, [UInt8](repeating: 1, count: 10))
    Self.expectDecodes(
      bytes, to: [.text("0123456789"), .binary([UInt8](repeating: 1, count: 10))],
      decoder: decoder)
  }

  @Test func decoderKeepsUnreadBytesOfAnIncompleteHeader() throws {
    var decoder = Self.server
    let frame = WebSocketClientFrames.frame(.text, String(repeating: "x", count: 300))
    var buffer = ByteBuffer(bytes: frame.prefix(3))
    #expect(try decoder.next(from: &buffer) == nil)
    #expect(buffer.readableBytes == 3)
    buffer.writeBytes(frame.dropFirst(3))
    #expect(try decoder.next(from: &buffer) == .text(String(repeating: "x", count: 300)))
    #expect(buffer.readableBytes == 0)
  }
}

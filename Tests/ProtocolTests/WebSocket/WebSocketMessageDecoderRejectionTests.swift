import Testing

@testable import Protocol

@Suite struct WebSocketMessageDecoderRejectionTests {
  static let server = WebSocketMessageDecoder()

  /// A masked frame whose first byte (FIN, RSV, opcode) is exactly `firstByte`.
  static func frame(firstByte: UInt8, _ payload: [UInt8] = []) -> [UInt8] {
    var bytes = WebSocketClientFrames.frame(.binary, payload)
    bytes[0] = firstByte
    return bytes
  }

  /// Expects every split of `bytes` to end in an error with `closeCode`, after `messages`.
  static func expectRejects(
    _ bytes: [UInt8], closeCode: UInt16, after messages: [WebSocketMessageDecoder.Message] = [],
    decoder: WebSocketMessageDecoder = server, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for outcome in WebSocketDripFeed.everySplit(bytes, decoder: decoder) {
      #expect(outcome.messages == messages, sourceLocation: sourceLocation)
      #expect(outcome.error?.closeCode == closeCode, sourceLocation: sourceLocation)
      #expect((outcome.error?.message.utf8.count ?? 0) <= 123, sourceLocation: sourceLocation)
    }
  }

  static let protocolViolations: [(String, [UInt8])] = [
    ("unmasked client frame", [UInt8](webSocketHex: "81 05 48 65 6c 6c 6f")),
    ("RSV1 set", frame(firstByte: 0xC1, [0x61])),
    ("RSV2 set", frame(firstByte: 0xA1, [0x61])),
    ("RSV3 set", frame(firstByte: 0x91, [0x61])),
    (
      "64-bit length with high bit set",
      [UInt8](webSocketHex: "82 FF 80 00 00 00 00 00 00 00 01 02 03 04")
    ),
    ("126-byte ping", WebSocketClientFrames.frame(.ping, [UInt8](repeating: 0, count: 126))),
    ("126-byte ping with minimal header only", [UInt8](webSocketHex: "89 FE 00 7E")),
    ("ping without FIN", WebSocketClientFrames.frame(.ping, [1], fin: false)),
    ("close without FIN", WebSocketClientFrames.frame(.close, [], fin: false)),
    ("continuation without a message", WebSocketClientFrames.frame(.continuation, "x")),
    (
      "final continuation without a message",
      WebSocketClientFrames.frame(.continuation, [], fin: true)
    ),
    (
      "text while a text message is open",
      WebSocketClientFrames.frame(.text, "a", fin: false) + WebSocketClientFrames.frame(.text, "b")
    ),
    (
      "binary while a text message is open",
      WebSocketClientFrames.frame(.text, "a", fin: false)
        + WebSocketClientFrames.frame(.binary, [1])
    ),
    (
      "continuation after the message ended",
      WebSocketClientFrames.frame(.binary, [1]) + WebSocketClientFrames.frame(.continuation, [2])
    ),
    ("close payload of 1 byte", WebSocketClientFrames.frame(.close, [0x03])),
  ]

  @Test(arguments: protocolViolations)
  func decoderRejectsProtocolViolationWith1002(name: String, bytes: [UInt8]) {
    let messages: [WebSocketMessageDecoder.Message] =
      name == "continuation after the message ended" ? [.binary([1])] : []
    Self.expectRejects(bytes, closeCode: 1002, after: messages)
  }

  @Test(arguments: [3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF] as [UInt8])
  func decoderRejectsReservedOpcodeWith1002(opcode: UInt8) {
    Self.expectRejects(Self.frame(firstByte: 0x80 | opcode, [1]), closeCode: 1002)
  }

  @Test(arguments: [0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65_535] as [UInt16])
  func decoderRejectsCloseCodeNotAllowedOnTheWireWith1002(code: UInt16) {
    let payload = [UInt8(code >> 8), UInt8(code & 0xFF)]
    Self.expectRejects(WebSocketClientFrames.frame(.close, payload), closeCode: 1002)
  }

  @Test func decoderRejectsCloseReasonThatIsNotUTF8With1007() {
    let payload: [UInt8] = [0x03, 0xE8, 0x61, 0xC0, 0x80]
    Self.expectRejects(WebSocketClientFrames.frame(.close, payload), closeCode: 1007)
  }

  static let invalidText: [(String, [UInt8])] = [
    ("overlong NUL", [0xC0, 0x80]), ("surrogate D800", [0xED, 0xA0, 0x80]),
    ("above U+10FFFF", [0xF4, 0x90, 0x80, 0x80]), ("lone continuation", [0x61, 0x80]),
    ("byte FF", [0xFF]), ("truncated at the end", [0x61, 0xE2, 0x82]),
  ]

  @Test(arguments: invalidText)
  func decoderRejectsSingleFrameTextThatIsNotUTF8With1007(name: String, payload: [UInt8]) {
    Self.expectRejects(WebSocketClientFrames.frame(.text, payload), closeCode: 1007)
  }

  @Test func decoderRejectsTextWhoseLastFragmentEndsMidSequence() {
    let bytes =
      WebSocketClientFrames.frame(.text, [0x61], fin: false)
      + WebSocketClientFrames.frame(.continuation, [0xF0, 0x9F, 0x98])
    Self.expectRejects(bytes, closeCode: 1007)
  }

  // Autobahn 6.4.x: the invalid byte must fail the connection before the rest arrives.
  @Test func decoderFailsFastOnInvalidUTF8InAnOpenFragmentedMessage() {
    let bytes =
      WebSocketClientFrames.frame(.text, "κόσμε", fin: false)
      + WebSocketClientFrames.frame(.continuation, [0xF4, 0x90, 0x80, 0x80], fin: false)
    Self.expectRejects(bytes, closeCode: 1007)
  }

  @Test func decoderFailsFastOnInvalidUTF8BeforeTheFramePayloadIsComplete() {
    let payload: [UInt8] =
      Array("hello".utf8) + [0xED, 0xA0, 0x80] + Array(repeating: 0x61, count: 50)
    let whole = WebSocketClientFrames.frame(.text, payload)
    // Header (2 + 4 key) plus the first 8 payload bytes: the surrogate is already there.
    Self.expectRejects(Array(whole.prefix(6 + 8)), closeCode: 1007)
  }

  @Test func decoderFailsFastOnInvalidUTF8SplitAcrossFragments() {
    // E0 then 80: E0 needs A0..BF next, so the second fragment's first byte is the error.
    let bytes =
      WebSocketClientFrames.frame(.text, [0x61, 0xE0], fin: false)
      + WebSocketClientFrames.frame(.continuation, [0x80, 0x80], fin: false)
    Self.expectRejects(bytes, closeCode: 1007)
  }

  @Test func decoderRejectsMessageOneByteOverTheLimitWith1009() {
    let decoder = WebSocketMessageDecoder(maxMessageBytes: 300)
    let frame = WebSocketClientFrames.frame(.binary, [UInt8](repeating: 7, count: 301))
    Self.expectRejects(frame, closeCode: 1009, decoder: decoder)
  }

  @Test func decoderRejectsOversizeFrameFromItsHeaderAlone() {
    // 64-bit length 2^40 with key, no payload: refused before any payload is buffered.
    let header = [UInt8](webSocketHex: "82 FF 00 00 01 00 00 00 00 00 01 02 03 04")
    Self.expectRejects(header, closeCode: 1009)
  }

  @Test func decoderRejectsFragmentsWhoseRunningTotalExceedsTheLimit() {
    let decoder = WebSocketMessageDecoder(maxMessageBytes: 300)
    let first = WebSocketClientFrames.frame(.text, String(repeating: "a", count: 200), fin: false)
    let second = WebSocketClientFrames.frame(.continuation, String(repeating: "b", count: 101))
    // Only the second header is needed for the verdict: 200 + 101 > 300.
    Self.expectRejects(first + second.prefix(8), closeCode: 1009, decoder: decoder)
  }

  @Test func decoderKeepsThrowingTheFirstErrorAfterwards() {
    var decoder = Self.server
    var buffer = ByteBuffer(bytes: Self.frame(firstByte: 0xC1, [1]))
    #expect(
      throws: WebSocketProtocolError.protocolError(
        "reserved bits set without a negotiated extension")
    ) {
      try decoder.next(from: &buffer)
    }
    var valid = ByteBuffer(bytes: WebSocketClientFrames.frame(.text, "ok"))
    #expect(throws: WebSocketProtocolError.self) { try decoder.next(from: &valid) }
  }

  @Test func decoderWithoutRequiredMaskingAcceptsBothForms() {
    let decoder = WebSocketMessageDecoder(requireMasking: false)
    let bytes =
      [UInt8](webSocketHex: "81 05 48 65 6c 6c 6f") + WebSocketClientFrames.frame(.text, "Hello")
    let outcome = WebSocketDripFeed.allAtOnce(bytes, decoder: decoder)
    #expect(outcome == WebSocketDecodeOutcome(messages: [.text("Hello"), .text("Hello")]))
  }
}

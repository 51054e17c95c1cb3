import Testing

@testable import Protocol

@Suite struct WebSocketFrameEncoderTests {
  @Test func encoderWritesRFCUnmaskedHello() {
    var output: [UInt8] = []
    WebSocketFrameEncoder.encode(opcode: .text, payload: Array("Hello".utf8), into: &output)
    #expect(output == [UInt8](webSocketHex: "81 05 48 65 6c 6c 6f"))
  }

  @Test func encoderWritesRFCMaskedHello() {
    var output: [UInt8] = []
    WebSocketFrameEncoder.encodeMasked(
      opcode: .text, payload: Array("Hello".utf8), maskingKey: (0x37, 0xFA, 0x21, 0x3D),
      into: &output)
    #expect(output == [UInt8](webSocketHex: "81 85 37 fa 21 3d 7f 9f 4d 51 58"))
  }

  @Test func encoderWritesNonFinalMaskedFragment() {
    var output: [UInt8] = []
    WebSocketFrameEncoder.encodeMasked(
      opcode: .text, payload: Array("Hel".utf8), maskingKey: (0, 0, 0, 0), fin: false,
      into: &output)
    #expect(output == [UInt8](webSocketHex: "01 83 00 00 00 00 48 65 6c"))
  }

  static let headers: [(WebSocketOpcode, Int, String)] = [
    (.binary, 0, "82 00"), (.binary, 125, "82 7D"), (.binary, 126, "82 7E 00 7E"),
    (.text, 65_535, "81 7E FF FF"), (.binary, 65_536, "82 7F 00 00 00 00 00 01 00 00"),
    (.ping, 5, "89 05"), (.pong, 0, "8A 00"), (.close, 2, "88 02"),
  ]

  @Test(arguments: headers)
  func encoderWritesHeaderWithShortestLengthForm(opcode: WebSocketOpcode, length: Int, hex: String)
  {
    var output: [UInt8] = [0xAA]
    WebSocketFrameEncoder.encodeHeader(opcode: opcode, length: length, into: &output)
    #expect(output == [0xAA] + [UInt8](webSocketHex: hex))
  }

  @Test func encoderWritesCloseWithCodeAndReason() {
    var output: [UInt8] = []
    WebSocketFrameEncoder.encodeClose(code: 1000, reason: "", into: &output)
    #expect(output == [0x88, 0x02, 0x03, 0xE8])
    output = []
    WebSocketFrameEncoder.encodeClose(code: 1009, reason: "too big", into: &output)
    #expect(output == [0x88, 0x09, 0x03, 0xF1] + Array("too big".utf8))
  }

  @Test func encoderCutsLongCloseReasonOnACharacterBoundary() {
    // 100 × "é" is 200 bytes; 123 would split the 62nd "é", so 61 of them (122 bytes) stay.
    var output: [UInt8] = []
    WebSocketFrameEncoder.encodeClose(
      code: 1002, reason: String(repeating: "é", count: 100), into: &output)
    #expect(output.count == 2 + 2 + 122)
    #expect(output[1] == 124)
    #expect(Array(output.dropFirst(4)) == Array(String(repeating: "é", count: 61).utf8))
    output = []
    WebSocketFrameEncoder.encodeClose(
      code: 1002, reason: String(repeating: "a", count: 200), into: &output)
    #expect(output[1] == 125)
  }

  @Test(arguments: [0, 1, 5, 125, 126, 1000, 65_535, 65_536, 100_000])
  func encoderServerFrameRoundTripsThroughAnUnmaskingDecoder(length: Int) {
    let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 3) }
    var output: [UInt8] = []
    WebSocketFrameEncoder.encode(opcode: .binary, payload: payload, into: &output)
    let outcome = WebSocketDripFeed.allAtOnce(
      output, decoder: WebSocketMessageDecoder(requireMasking: false))
    #expect(outcome == WebSocketDecodeOutcome(messages: [.binary(payload)]))
  }

  @Test func encoderMaskedFragmentsRoundTripThroughTheServerDecoder() {
    var random = SeededRandom(seed: 42)
    for _ in 0..<50 {
      let text = String(
        (0..<Int.random(in: 0...200, using: &random)).map { _ in
          ["a", "é", "€", "😀", " "].randomElement(using: &random) ?? "a"
        })
      let bytes = Array(text.utf8)
      var output: [UInt8] = []
      var offset = 0
      var opcode = WebSocketOpcode.text
      repeat {
        let size = min(Int.random(in: 0...40, using: &random), bytes.count - offset)
        let key = (UInt8.random(in: 0...255, using: &random), UInt8(7), UInt8(99), UInt8(200))
        WebSocketFrameEncoder.encodeMasked(
          opcode: opcode, payload: bytes[offset..<(offset + size)], maskingKey: key,
          fin: offset + size == bytes.count, into: &output)
        offset += size
        opcode = .continuation
      } while offset < bytes.count
      for outcome in WebSocketDripFeed.everySplit(
        output, decoder: WebSocketMessageDecoder(), randomSplits: 1)
      {
        #expect(outcome == WebSocketDecodeOutcome(messages: [.text(text)]))
      }
    }
  }

  @Test func encoderCloseRoundTripsThroughTheDecoder() {
    var output: [UInt8] = []
    WebSocketFrameEncoder.encodeClose(code: 4001, reason: "κόσμε", into: &output)
    let outcome = WebSocketDripFeed.allAtOnce(
      output, decoder: WebSocketMessageDecoder(requireMasking: false))
    #expect(outcome.messages == [.close(code: 4001, reason: "κόσμε")])
  }
}

import Testing

@testable import Protocol

@Suite struct SocketIOPacketDecoderTests {
  private static func placeholder(_ number: Int) -> JSONValue {
    ["_placeholder": true, "num": .number(Double(number))]
  }

  /// Every row of protocol.md §2.2's table (plus ack id 0, a number as event name and a
  /// string CONNECT_ERROR): text -> packet; each re-encodes to the same text.
  static let canonical: [(String, SocketIOPacket)] = [
    ("0", SocketIOPacket(type: .connect)),
    (#"0{"token":"123"}"#, SocketIOPacket(type: .connect, data: ["token": "123"])),
    ("0/admin,", SocketIOPacket(type: .connect, namespace: "/admin")),
    (
      #"0/admin,{"token":"abc"}"#,
      SocketIOPacket(type: .connect, namespace: "/admin", data: ["token": "abc"])
    ),
    (
      #"0{"sid":"wZX3oN0bSVIhsaknAAAI"}"#,
      SocketIOPacket(type: .connect, data: ["sid": "wZX3oN0bSVIhsaknAAAI"])
    ),
    (
      #"0/admin,{"sid":"oSO0OpakMV_3jnilAAAA"}"#,
      SocketIOPacket(type: .connect, namespace: "/admin", data: ["sid": "oSO0OpakMV_3jnilAAAA"])
    ),
    (
      #"4{"message":"Not authorized"}"#,
      SocketIOPacket(type: .connectError, data: ["message": "Not authorized"])
    ),
    (
      #"4{"message":"not authorized","data":{"content":"Please retry later"}}"#,
      SocketIOPacket(
        type: .connectError,
        data: ["message": "not authorized", "data": ["content": "Please retry later"]])
    ),
    (
      #"4/random,{"message":"Invalid namespace"}"#,
      SocketIOPacket(
        type: .connectError, namespace: "/random", data: ["message": "Invalid namespace"])
    ),
    (#"2["foo"]"#, SocketIOPacket(type: .event, data: ["foo"])),
    (#"2/admin,["bar"]"#, SocketIOPacket(type: .event, namespace: "/admin", data: ["bar"])),
    (#"212["foo"]"#, SocketIOPacket(type: .event, ackID: 12, data: ["foo"])),
    (
      #"2/admin,12["foo"]"#,
      SocketIOPacket(type: .event, namespace: "/admin", ackID: 12, data: ["foo"])
    ),
    (#"312["bar"]"#, SocketIOPacket(type: .ack, ackID: 12, data: ["bar"])),
    ("3/admin,12[]", SocketIOPacket(type: .ack, namespace: "/admin", ackID: 12, data: [])),
    (
      #"51-["baz",{"_placeholder":true,"num":0}]"#,
      SocketIOPacket(type: .binaryEvent, data: ["baz", placeholder(0)], attachmentCount: 1)
    ),
    (
      #"52-/admin,7["x",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#,
      SocketIOPacket(
        type: .binaryEvent, namespace: "/admin", ackID: 7,
        data: ["x", placeholder(0), placeholder(1)],
        attachmentCount: 2)
    ),
    (
      #"61-15["bar",{"_placeholder":true,"num":0}]"#,
      SocketIOPacket(
        type: .binaryAck, ackID: 15, data: ["bar", placeholder(0)], attachmentCount: 1)
    ),
    ("1", SocketIOPacket(type: .disconnect)),
    ("1/admin,", SocketIOPacket(type: .disconnect, namespace: "/admin")),
    (#"20["x"]"#, SocketIOPacket(type: .event, ackID: 0, data: ["x"])),
    ("30[]", SocketIOPacket(type: .ack, ackID: 0, data: [])),
    (#"2[42,"x"]"#, SocketIOPacket(type: .event, data: [42, "x"])),
    (#"4"Not authorized""#, SocketIOPacket(type: .connectError, data: "Not authorized")),
    (#"50-["a"]"#, SocketIOPacket(type: .binaryEvent, data: ["a"])),
    (#"610-0[]"#, SocketIOPacket(type: .binaryAck, ackID: 0, data: [], attachmentCount: 10)),
    (
      #"29007199254740991["x"]"#,
      SocketIOPacket(type: .event, ackID: 9_007_199_254_740_991, data: ["x"])
    ),
    (#"2/é,["ü"]"#, SocketIOPacket(type: .event, namespace: "/é", data: ["ü"])),
    // The JS parser takes an ack id on any type; the server ignores it there.
    ("01", SocketIOPacket(type: .connect, ackID: 1)),
    ("1/admin,1", SocketIOPacket(type: .disconnect, namespace: "/admin", ackID: 1)),
  ]

  @Test(arguments: canonical)
  func decodesProtocolTableRowsAndReEncodesThemByteForByte(text: String, packet: SocketIOPacket)
    throws
  {
    #expect(try SocketIOPacketDecoder.decode(text) == packet)
    #expect(try SocketIOPacketDecoder.decode(Array(text.utf8)) == packet)
    #expect(SocketIOPacketEncoder.string(packet) == text)
  }

  /// Accepted spellings that the encoder writes differently.
  static let lenient: [(String, SocketIOPacket, String)] = [
    ("0/admin", SocketIOPacket(type: .connect, namespace: "/admin"), "0/admin,"),
    ("1/admin", SocketIOPacket(type: .disconnect, namespace: "/admin"), "1/admin,"),
    (#"2/,["x"]"#, SocketIOPacket(type: .event, data: ["x"]), #"2["x"]"#),
    (#"2 [ "x" ] "#, SocketIOPacket(type: .event, data: ["x"]), #"2["x"]"#),
    (#"0{"token":"x"}"#, SocketIOPacket(type: .connect, data: ["token": "x"]), #"0{"token":"x"}"#),
    ("3007[]", SocketIOPacket(type: .ack, ackID: 7, data: []), "37[]"),
  ]

  @Test(arguments: lenient)
  func acceptsJavaScriptParserSpellings(text: String, packet: SocketIOPacket, encoded: String)
    throws
  {
    #expect(try SocketIOPacketDecoder.decode(text) == packet)
    #expect(SocketIOPacketEncoder.string(packet) == encoded)
  }

  static let malformed: [String] = [
    "", "7", "9[]", "a", "-1", " 2[\"x\"]", "/2", #"5-["a"]"#, #"5["a"]"#, "5", "5-",
    #"511-["x"]"#, #"599999999999999999999-["x"]"#, #"5a-["x"]"#, #"5 1-["x"]"#, "6-[]",
    #"2["connect"]"#, #"2["connect_error"]"#, #"2["disconnect"]"#, #"2["disconnecting"]"#,
    #"2["newListener"]"#, #"2["removeListener"]"#, #"51-["connect",1]"#, "2[]", "2{}",
    #"2"x""#, "2", "2/admin", "2/admin,", "212", "2[null]", "2[true]", #"2[["x"]]"#,
    #"2[{"a":1}]"#, "0[]", #"0"x""#, "0null", "0/admin,[]", "1{}", "1[]", "1/admin,{}", "3{}", "3",
    "312", "3\"x\"", "4[]", "4", "4 ", "4null", "41", #"2["x""#,
    #"2["x"]]"#, #"2['x']"#, #"2["x",]"#, #"29007199254740992["x"]"#,
    #"218446744073709551616["x"]"#, #"0{"a":}"#, "5-1[]", #"2["x"]\#u{0}"#, "\u{FEFF}2[\"x\"]",
  ]

  @Test(arguments: malformed)
  func rejectsPacketsTheJavaScriptServerWouldCloseTheSessionFor(text: String) {
    #expect(throws: SocketIOParseError.self) { try SocketIOPacketDecoder.decode(text) }
  }

  @Test(arguments: [
    ("7", "unknown packet type 7"), (#"511-["x"]"#, "too many attachments"),
    (#"5["x"]"#, "Illegal attachments"), (#"2["connect"]"#, "invalid payload for packet type 2"),
    ("", "empty packet"), (#"29007199254740992["x"]"#, "ack id out of range"),
    ("2[", "invalid payload: Unexpected end of JSON input"),
  ])
  func errorsSayWhatWasWrong(text: String, message: String) {
    #expect(throws: SocketIOParseError(message: message)) { try SocketIOPacketDecoder.decode(text) }
  }

  @Test func rejectsANamespaceThatIsNotUTF8() {
    let bytes = Array("2/".utf8) + [0xFF] + Array(#",["x"]"#.utf8)
    #expect(throws: SocketIOParseError(message: "invalid UTF-8 in namespace")) {
      try SocketIOPacketDecoder.decode(bytes)
    }
  }

  @Test func appliesJSONLimitsToThePayloadAndTheWholeText() {
    let deep =
      "2[\"x\"," + String(repeating: "[", count: 5) + String(repeating: "]", count: 5) + "]"
    #expect(throws: Never.self) { try SocketIOPacketDecoder.decode(deep) }
    #expect(throws: SocketIOParseError.self) {
      try SocketIOPacketDecoder.decode(deep, limits: JSONLimits(maxDepth: 5))
    }
    #expect(throws: SocketIOParseError(message: "packet exceeds 8 bytes")) {
      try SocketIOPacketDecoder.decode("2/admin,[\"x\"]", limits: JSONLimits(maxBytes: 8))
    }
  }

  @Test func reservedNamesAreTheSixFromTheProtocol() {
    #expect(
      SocketIOPacketDecoder.reservedEventNames == [
        "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
      ])
    #expect(SocketIOPacketDecoder.maxAttachments == 10)
  }

  @Test func mutatedPacketsNeverTrapAndAcceptedOnesRoundTrip() throws {
    var generator = JSONMutationGenerator(seed: 0x50C4E7)
    let alphabet = Array(#"0123456789-/,{}[]":_aex "#.utf8) + [0x00, 0xC3, 0xA9, 0xFF]
    let seeds = Self.canonical.map { Array($0.0.utf8) }
    for round in 0..<5000 {
      let input = generator.mutate(seeds[round % seeds.count], alphabet: alphabet)
      guard let packet = try? SocketIOPacketDecoder.decode(input) else { continue }
      let encoded = SocketIOPacketEncoder.string(packet)
      #expect(try SocketIOPacketDecoder.decode(encoded) == packet, "\(encoded)")
    }
  }
}

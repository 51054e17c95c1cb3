import Testing

@testable import Protocol

@Suite struct SocketIOPacketEncoderTests {
  static let packets: [(SocketIOPacket, String)] = [
    (SocketIOPacket(type: .event, data: ["hey", "Jude"]), #"2["hey","Jude"]"#),
    (
      SocketIOPacket(
        type: .binaryEvent, data: ["x", ["_placeholder": true, "num": 0]], attachmentCount: 1),
      #"51-["x",{"_placeholder":true,"num":0}]"#
    ),
    (SocketIOPacket(type: .connect, data: ["sid": "abc"]), #"0{"sid":"abc"}"#),
    (
      SocketIOPacket(type: .connectError, data: ["message": "Invalid namespace"]),
      #"4{"message":"Invalid namespace"}"#
    ),
    (
      SocketIOPacket(type: .event, namespace: "/admin", ackID: 12, data: ["foo"]),
      #"2/admin,12["foo"]"#
    ),
    (SocketIOPacket(type: .ack, namespace: "/admin", ackID: 12, data: []), "3/admin,12[]"),
    (SocketIOPacket(type: .ack, ackID: 0, data: []), "30[]"),
    (SocketIOPacket(type: .binaryAck, ackID: 3, data: [], attachmentCount: 0), "60-3[]"),
    (SocketIOPacket(type: .disconnect, namespace: ""), "1"),
    (SocketIOPacket(type: .connect, data: .null), "0"),
    (SocketIOPacket(type: .event, data: ["a/b", "line\n", "é"]), "2[\"a/b\",\"line\\n\",\"é\"]"),
  ]

  @Test(arguments: packets)
  func encodesTheStringFormLikeTheJavaScriptEncoder(packet: SocketIOPacket, expected: String) {
    #expect(SocketIOPacketEncoder.string(packet) == expected)
    var output = Array("4".utf8)
    SocketIOPacketEncoder.encode(packet, into: &output)
    #expect(output == Array(("4" + expected).utf8))
  }

  @Test(arguments: [
    ("hey", #"{"a":1}"#, #"42["hey",{"a":1}]"#),
    ("say \"hi\"\n", #""x""#, #"42["say \"hi\"\n","x"]"#),
    ("événement/1", "[1,2]", #"42["événement/1",[1,2]]"#),
    ("", "null", #"42["",null]"#),
  ])
  func encodesThePushFastPathAsAnEngineIOMessage(event: String, argument: String, expected: String)
    throws
  {
    var output: [UInt8] = []
    SocketIOPacketEncoder.encodeEventMessage(
      event: event, argumentJSON: Array(argument.utf8), into: &output)
    #expect(String(decoding: output, as: UTF8.self) == expected)
    // The same bytes as the general encoder, and they decode back (without the EIO "4").
    let packet = SocketIOPacket(
      type: .event, data: [.string(event), try JSONParser.parse(argument)])
    #expect(Array(output.dropFirst()) == Array(SocketIOPacketEncoder.string(packet).utf8))
    #expect(try SocketIOPacketDecoder.decode(output.dropFirst()) == packet)
  }

  @Test func encodeThenDecodeRoundTripsEveryType() throws {
    let placeholder: JSONValue = ["_placeholder": true, "num": 0]
    let packets = [
      SocketIOPacket(type: .connect, namespace: "/chat", data: ["token": "t"]),
      SocketIOPacket(type: .disconnect, namespace: "/chat"),
      SocketIOPacket(type: .event, ackID: 9_007_199_254_740_991, data: [1, ["k": [true, .null]]]),
      SocketIOPacket(type: .ack, namespace: "/chat", ackID: 4, data: [0.5, -0.0, "x"]),
      SocketIOPacket(type: .connectError, data: "plain"),
      SocketIOPacket(
        type: .binaryEvent, namespace: "/b", ackID: 0, data: ["e", placeholder], attachmentCount: 1),
      SocketIOPacket(type: .binaryAck, ackID: 2, data: [placeholder], attachmentCount: 1),
    ]
    for packet in packets {
      #expect(try SocketIOPacketDecoder.decode(SocketIOPacketEncoder.string(packet)) == packet)
    }
  }
}

import Testing

@testable import Protocol

@Suite struct SocketIOBinaryAssemblerTests {
  private static func header(_ text: String) throws -> SocketIOPacket {
    try SocketIOPacketDecoder.decode(text)
  }

  @Test func collectsAttachmentsInOrderAndCompletesOnTheLast() throws {
    var assembler = SocketIOBinaryAssembler()
    let packet = try Self.header(
      #"52-/admin,7["x",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#)
    #expect(try assembler.receive(header: packet) == nil)
    #expect(assembler.isWaiting)
    #expect(try assembler.receive(attachment: [1, 2, 3, 4]) == nil)
    #expect(assembler.isWaiting)
    let assembled = try assembler.receive(attachment: [])
    #expect(assembled == SocketIOAssembledPacket(packet: packet, attachments: [[1, 2, 3, 4], []]))
    #expect(!assembler.isWaiting)
    // Ready for the next packet.
    let next = try Self.header(#"2["y"]"#)
    #expect(
      try assembler.receive(header: next) == SocketIOAssembledPacket(packet: next, attachments: []))
  }

  @Test(arguments: [#"2["y"]"#, "0", "1/admin,", #"312[]"#])
  func passesNonBinaryPacketsThroughAtOnce(text: String) throws {
    var assembler = SocketIOBinaryAssembler()
    let packet = try Self.header(text)
    #expect(
      try assembler.receive(header: packet)
        == SocketIOAssembledPacket(packet: packet, attachments: []))
    #expect(!assembler.isWaiting)
  }

  @Test func completesABinaryHeaderWithZeroAttachmentsAtOnce() throws {
    var assembler = SocketIOBinaryAssembler()
    let packet = try Self.header(#"50-["a"]"#)
    #expect(
      try assembler.receive(header: packet)
        == SocketIOAssembledPacket(packet: packet, attachments: []))
    #expect(!assembler.isWaiting)
  }

  @Test func rejectsAnAttachmentWhenNoneIsDue() throws {
    var assembler = SocketIOBinaryAssembler()
    let expected = SocketIOParseError(message: "got binary data when not reconstructing a packet")
    #expect(throws: expected) { try assembler.receive(attachment: [1]) }
    _ = try assembler.receive(header: try Self.header(#"51-["a",{"_placeholder":true,"num":0}]"#))
    _ = try assembler.receive(attachment: [1])
    #expect(throws: expected) { try assembler.receive(attachment: [2]) }
  }

  @Test func rejectsTextBeforeTheAttachmentsAreCompleteAndStartsOver() throws {
    var assembler = SocketIOBinaryAssembler()
    _ = try assembler.receive(header: try Self.header(#"52-["a",{"_placeholder":true,"num":0}]"#))
    _ = try assembler.receive(attachment: [1])
    #expect(throws: SocketIOParseError(message: "got plaintext data when reconstructing a packet"))
    {
      try assembler.receive(header: try Self.header(#"2["b"]"#))
    }
    #expect(!assembler.isWaiting)
  }

  @Test(arguments: [
    #"51-["a",{"_placeholder":true,"num":1}]"#,
    #"51-["a",{"_placeholder":true,"num":-1}]"#,
    #"51-["a",{"_placeholder":true,"num":0.5}]"#,
    #"51-["a",{"_placeholder":true,"num":"0"}]"#,
    #"51-["a",{"_placeholder":true}]"#,
    #"51-["a",{"deep":[{"_placeholder":true,"num":3}]}]"#,
    #"50-["a",{"_placeholder":true,"num":0}]"#,
  ])
  func rejectsAPlaceholderThatNamesNoAttachment(text: String) throws {
    var assembler = SocketIOBinaryAssembler()
    let packet = try Self.header(text)
    #expect(throws: SocketIOParseError(message: "illegal attachments")) {
      if try assembler.receive(header: packet) == nil {
        _ = try assembler.receive(attachment: [9])
      }
    }
    #expect(!assembler.isWaiting)
  }

  @Test func acceptsPlaceholderLookalikesThatAreNotMarkedTrue() throws {
    var assembler = SocketIOBinaryAssembler()
    let packet = try Self.header(
      #"51-["a",{"_placeholder":false,"num":7},{"_placeholder":true,"num":0}]"#)
    _ = try assembler.receive(header: packet)
    #expect(try assembler.receive(attachment: [1])?.attachments == [[1]])
  }

  @Test func rejectsAConstructedHeaderAnnouncingTooManyAttachments() {
    var assembler = SocketIOBinaryAssembler()
    let packet = SocketIOPacket(type: .binaryEvent, data: ["a"], attachmentCount: 11)
    #expect(throws: SocketIOParseError(message: "too many attachments")) {
      try assembler.receive(header: packet)
    }
  }

  @Test func assemblesAStreamOfMixedMessagesDeliveredOneByOne() throws {
    enum Message { case text(String), binary([UInt8]) }
    let stream: [Message] = [
      .text(#"2["a"]"#), .text(#"51-["b",{"_placeholder":true,"num":0}]"#), .binary([1]),
      .text(#"61-3[{"_placeholder":true,"num":0}]"#), .binary([2, 2]), .text("1"),
    ]
    var assembler = SocketIOBinaryAssembler()
    var completed: [SocketIOAssembledPacket] = []
    for message in stream {
      switch message {
      case .text(let text):
        if let packet = try assembler.receive(header: try Self.header(text)) {
          completed.append(packet)
        }
      case .binary(let bytes):
        if let packet = try assembler.receive(attachment: bytes) { completed.append(packet) }
      }
    }
    #expect(completed.map(\.packet.type) == [.event, .binaryEvent, .binaryAck, .disconnect])
    #expect(completed.map(\.attachments) == [[], [[1]], [[2, 2]], []])
  }
}

import Protocol
import Testing

@testable import Server

@Suite struct MessageReceivedTests {
  static let received: [JSONValue?] = [
    nil, .null, .bool(false), .number(-0.0), .number(1e21), .number(42), .string(""),
    .string("quote \" backslash \\ newline \n nul \u{0} é 😀"),
    .array([.number(1), .string("two"), .array([])]),
    .object(JSONObject([("b", .number(1)), ("2", .null), ("a", .object(JSONObject()))])),
    .object(JSONObject([("_placeholder", .bool(true)), ("num", .number(0))])),
  ]

  @Test(arguments: received)
  func bytesAreWhatTheWriterWritesForTheTree(received: JSONValue?) {
    for milliseconds: Int64 in [0, 1_764_288_000_123, 253_402_300_799_999] {
      var expected: [UInt8] = []
      JSONWriter.write(
        MessageReceived.value(received: received, unixMilliseconds: milliseconds), into: &expected)
      let bytes = MessageReceived.json(received: received, unixMilliseconds: milliseconds)
      #expect(
        String(decoding: bytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }
  }

  @Test func theArgumentIsTheSeedsObject() {
    let bytes = MessageReceived.json(
      received: .string("hi"), unixMilliseconds: 1_764_288_000_123)
    #expect(
      String(decoding: bytes, as: UTF8.self)
        == #"{"success":true,"message":"Message received by server","data":{"receivedMessage":"hi","timestamp":"2025-11-28T00:00:00.123Z"}}"#
    )
  }

  @Test(arguments: [UInt64(0), 7, 18_446_744_073_709_551_615])
  func eventAndAckPacketsMatchTheEncoder(id: UInt64) {
    let argument = MessageReceived.json(received: .number(1), unixMilliseconds: 0)
    let value = MessageReceived.value(received: .number(1), unixMilliseconds: 0)
    #expect(
      MessageReceived.eventPacket(argumentJSON: argument)
        == .socketIO(
          SocketIOPacket(type: .event, data: .array([.string("messageReceived"), value]))))
    #expect(
      MessageReceived.ackPacket(id: id, argumentJSON: argument)
        == .socketIO(SocketIOPacket(type: .ack, ackID: id, data: .array([value]))))
  }
}

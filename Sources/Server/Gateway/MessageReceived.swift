import Protocol

/// The seed's `messageReceived` argument:
/// `{"success":true,"message":"Message received by server","data":{"receivedMessage":…,"timestamp":"…"}}`
/// (`receivedMessage` is left out when the client sent nothing, as `JSON.stringify` leaves out
/// `undefined`).
enum MessageReceived {
  /// The argument as a JSON value; the binary path renumbers its placeholders.
  static func value(received: JSONValue?, unixMilliseconds: Int64) -> JSONValue {
    var data = JSONObject()
    if let received { data["receivedMessage"] = received }
    data["timestamp"] = .string(ISOTimestamp.string(fromUnixMilliseconds: unixMilliseconds))
    return .object(
      JSONObject([
        ("success", .bool(true)),
        ("message", .string("Message received by server")),
        ("data", .object(data)),
      ]))
  }

  /// The same argument as compact JSON, byte for byte what `JSONWriter` writes for
  /// `value(received:unixMilliseconds:)`, without building the tree (the text path: a
  /// dozen fewer allocations per message).
  static func json(received: JSONValue?, unixMilliseconds: Int64) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(128)
    bytes.append(contentsOf: #"{"success":true,"message":"Message received by server","#.utf8)
    bytes.append(contentsOf: #""data":{"#.utf8)
    if let received {
      bytes.append(contentsOf: #""receivedMessage":"#.utf8)
      JSONWriter.write(received, into: &bytes)
      bytes.append(UInt8(ascii: ","))
    }
    bytes.append(contentsOf: #""timestamp":""#.utf8)
    ISOTimestamp.append(fromUnixMilliseconds: unixMilliseconds, to: &bytes)
    bytes.append(contentsOf: #""}}"#.utf8)
    return bytes
  }

  /// `42["messageReceived",<argument>]`: the Engine.IO message carrying the event.
  static func eventPacket(argumentJSON: [UInt8]) -> OutboundPacket {
    var bytes: [UInt8] = []
    SocketIOPacketEncoder.encodeEventMessage(
      event: "messageReceived", argumentJSON: argumentJSON, into: &bytes)
    return .text(bytes)
  }

  /// `43<id>[<argument>]`: the Engine.IO message carrying the ack on `/`.
  static func ackPacket(id: UInt64, argumentJSON: [UInt8]) -> OutboundPacket {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(argumentJSON.count + 24)
    bytes.append(contentsOf: "43".utf8)
    bytes.append(contentsOf: String(id).utf8)
    bytes.append(UInt8(ascii: "["))
    bytes.append(contentsOf: argumentJSON)
    bytes.append(UInt8(ascii: "]"))
    return .text(bytes)
  }
}

/// Decodes the text of one Engine.IO message into a Socket.IO packet with the JS
/// `socket.io-parser` rules (protocol.md §2.2 rules 1-6) and its payload checks.
///
/// Deliberately stricter than the JS parser in three places, none of which a stock client
/// ever sends: the attachment count must be plain decimal digits (JS also takes `5-`, `5 1-`
/// or `50x1-` through `Number()`); EVENT, ACK and CONNECT_ERROR need a payload (JS lets a
/// payload-less `2` through and fails later); ack ids above 2^53 - 1 are refused (JS would
/// round them, so the ACK could not name the same id).
public enum SocketIOPacketDecoder {
  /// Most attachments one binary packet may announce (JS `maxAttachments`, a security fix).
  public static let maxAttachments = 10

  /// Event names no packet may carry (protocol.md §2.8); the JS parser refuses them.
  public static let reservedEventNames: Set<String> = [
    "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
  ]

  /// Largest ack id, `Number.MAX_SAFE_INTEGER`: ids above it do not survive a JS round trip.
  public static let maxAckID: UInt64 = (1 << 53) - 1

  /// Decodes the text of one Engine.IO message (without its leading `4`).
  ///
  /// - Parameters:
  ///   - text: the Socket.IO packet string, e.g. `2/admin,12["foo"]`.
  ///   - limits: bounds for the JSON payload; `maxBytes` also bounds the whole text.
  /// - Throws: `SocketIOParseError` for anything the JS parser would reject.
  public static func decode(_ text: String, limits: JSONLimits = JSONLimits())
    throws(SocketIOParseError) -> SocketIOPacket
  {
    try decode(text.utf8, limits: limits)
  }

  /// Decodes the UTF-8 bytes of one Engine.IO text message (without its leading `4`);
  /// bytes that are not UTF-8 are an error.
  public static func decode(_ bytes: some Collection<UInt8>, limits: JSONLimits = JSONLimits())
    throws(SocketIOParseError) -> SocketIOPacket
  {
    let result = bytes.withContiguousStorageIfAvailable { buffer in
      Result { () throws(SocketIOParseError) -> SocketIOPacket in
        try decode(buffer: buffer, limits: limits)
      }
    }
    if let result { return try result.get() }
    return try Array(bytes).withUnsafeBufferPointer { (buffer) throws(SocketIOParseError) in
      try decode(buffer: buffer, limits: limits)
    }
  }

  private static func decode(buffer: UnsafeBufferPointer<UInt8>, limits: JSONLimits)
    throws(SocketIOParseError) -> SocketIOPacket
  {
    guard buffer.count <= limits.maxBytes else {
      throw SocketIOParseError(message: "packet exceeds \(limits.maxBytes) bytes")
    }
    guard let first = buffer.first else { throw SocketIOParseError(message: "empty packet") }
    guard first >= UInt8(ascii: "0"),
      let type = SocketIOPacketType(rawValue: first &- UInt8(ascii: "0"))
    else {
      throw SocketIOParseError(message: "unknown packet type \(String(UnicodeScalar(first)))")
    }
    var packet = SocketIOPacket(type: type)
    var index = 1
    if type.isBinary {
      packet.attachmentCount = try readAttachmentCount(buffer, at: &index)
    }
    if index < buffer.count, buffer[index] == UInt8(ascii: "/") {
      let namespaceStart = index
      while index < buffer.count, buffer[index] != UInt8(ascii: ",") { index += 1 }
      guard
        let namespace = String(
          validating: UnsafeBufferPointer(rebasing: buffer[namespaceStart..<index]),
          as: UTF8.self)
      else { throw SocketIOParseError(message: "invalid UTF-8 in namespace") }
      packet.namespace = namespace
      if index < buffer.count { index += 1 }  // the comma
    }
    if index < buffer.count, isDigit(buffer[index]) {
      packet.ackID = try readAckID(buffer, at: &index)
    }
    if index < buffer.count {
      do {
        packet.data = try JSONParser.parse(
          UnsafeBufferPointer(rebasing: buffer[index...]), limits: limits)
      } catch {
        throw SocketIOParseError(message: "invalid payload: \(error.message)")
      }
    }
    guard isPayloadValid(packet) else {
      throw SocketIOParseError(message: "invalid payload for packet type \(type.rawValue)")
    }
    return packet
  }

  /// Rule 2: digits, then `-`; at most `maxAttachments`.
  private static func readAttachmentCount(_ buffer: UnsafeBufferPointer<UInt8>, at index: inout Int)
    throws(SocketIOParseError) -> Int
  {
    let digitsStart = index
    var count = 0
    while index < buffer.count, isDigit(buffer[index]) {
      // Saturate just above the limit so a long digit run cannot overflow.
      count = min(count * 10 + Int(buffer[index] - UInt8(ascii: "0")), maxAttachments + 1)
      index += 1
    }
    guard index > digitsStart, index < buffer.count, buffer[index] == UInt8(ascii: "-") else {
      throw SocketIOParseError(message: "Illegal attachments")
    }
    guard count <= maxAttachments else {
      throw SocketIOParseError(message: "too many attachments")
    }
    index += 1
    return count
  }

  /// Rule 4: the maximal run of digits.
  private static func readAckID(_ buffer: UnsafeBufferPointer<UInt8>, at index: inout Int)
    throws(SocketIOParseError) -> UInt64
  {
    var id: UInt64 = 0
    while index < buffer.count, isDigit(buffer[index]) {
      let digit = UInt64(buffer[index] - UInt8(ascii: "0"))
      guard id <= (maxAckID - digit) / 10 else {
        throw SocketIOParseError(message: "ack id out of range")
      }
      id = id * 10 + digit
      index += 1
    }
    return id
  }

  /// Rule 5: what each type may carry (JS `Decoder.isPayloadValid`, plus "payload required"
  /// for EVENT, ACK and CONNECT_ERROR).
  private static func isPayloadValid(_ packet: SocketIOPacket) -> Bool {
    switch packet.type {
    case .connect:
      guard let data = packet.data else { return true }
      return data.objectValue != nil
    case .disconnect:
      return packet.data == nil
    case .connectError:
      return packet.data?.objectValue != nil || packet.data?.stringValue != nil
    case .event, .binaryEvent:
      switch packet.data?.arrayValue?.first {
      case .number: return true
      case .string(let name): return !reservedEventNames.contains(name)
      default: return false
      }
    case .ack, .binaryAck:
      return packet.data?.arrayValue != nil
    }
  }

  @inline(__always)
  private static func isDigit(_ byte: UInt8) -> Bool {
    byte &- UInt8(ascii: "0") < 10
  }
}

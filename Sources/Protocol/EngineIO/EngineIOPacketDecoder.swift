/// Decodes Engine.IO v4 packets from WebSocket text frames and polling bodies.
public enum EngineIOPacketDecoder {
  /// The ASCII record separator between packets of a polling body.
  public static let recordSeparator: UInt8 = 0x1E

  /// Decodes one WebSocket text frame or one polling record: `<digit><data>`, or
  /// `b<base64>` for binary (the JS parser accepts that on either transport).
  /// Empty text, a first character other than `0`-`6`/`b`, or bad base64 is an error.
  public static func decode(text: String) throws(EngineIOParseError) -> EngineIOPacket {
    var text = text
    return try text.withUTF8 { decodeRecord($0, validated: true) }.get()
  }

  /// Decodes a polling POST body: records split on `0x1E`, in order. Every record must be a
  /// valid packet in UTF-8; an empty record (an empty body, a doubled or trailing separator)
  /// is an error. There is no packet count limit: the caller bounds the body by bytes.
  public static func decodePayload(_ body: some Collection<UInt8>) throws(EngineIOParseError)
    -> [EngineIOPacket]
  {
    let bytes = Array(body)
    var packets: [EngineIOPacket] = []
    var start = 0
    while true {
      let end = bytes[start...].firstIndex(of: recordSeparator) ?? bytes.count
      let packet = bytes.withUnsafeBufferPointer { buffer in
        decodeRecord(UnsafeBufferPointer(rebasing: buffer[start..<end]), validated: false)
      }
      try packets.append(packet.get())
      guard end < bytes.count else { return packets }
      start = end + 1
    }
  }

  /// Decodes one record; `validated` says the bytes are known to be UTF-8 already.
  private static func decodeRecord(_ record: UnsafeBufferPointer<UInt8>, validated: Bool)
    -> Result<EngineIOPacket, EngineIOParseError>
  {
    guard let first = record.first else { return failure("empty packet") }
    let data = UnsafeBufferPointer(rebasing: record[1...])
    if first == UInt8(ascii: "b") {
      guard let bytes = Base64.decode(data) else {
        return failure("binary packet is not valid base64")
      }
      return .success(.binary(bytes))
    }
    guard let type = EngineIOPacketType(digit: first) else {
      return failure("unknown packet type byte \(first)")
    }
    guard validated || UTF8Validator.isValid(data) else {
      return failure("packet is not valid UTF-8")
    }
    return .success(.text(type, String(decoding: data, as: UTF8.self)))
  }

  private static func failure(_ message: String) -> Result<EngineIOPacket, EngineIOParseError> {
    .failure(EngineIOParseError(message: message))
  }
}

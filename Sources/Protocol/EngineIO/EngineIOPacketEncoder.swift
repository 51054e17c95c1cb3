/// Encodes Engine.IO v4 packets for polling bodies (and the bytes of WebSocket text frames).
public enum EngineIOPacketEncoder {
  /// Appends one packet as a polling record: `<digit><data>` (also the exact content of a
  /// WebSocket text frame), or `b<base64>` for binary (padded standard base64).
  public static func encodeRecord(_ packet: EngineIOPacket, into output: inout [UInt8]) {
    switch packet {
    case .text(let type, let data):
      output.append(type.digit)
      output.append(contentsOf: data.utf8)
    case .binary(let bytes):
      output.append(UInt8(ascii: "b"))
      Base64.encode(bytes, into: &output)
    }
  }

  /// Appends a polling payload: records joined by `0x1E`, no trailing separator.
  public static func encodePayload(
    _ packets: some Sequence<EngineIOPacket>, into output: inout [UInt8]
  ) {
    var first = true
    for packet in packets {
      if !first { output.append(EngineIOPacketDecoder.recordSeparator) }
      first = false
      encodeRecord(packet, into: &output)
    }
  }
}

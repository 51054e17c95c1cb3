/// One Engine.IO v4 packet.
public enum EngineIOPacket: Sendable, Equatable {
  /// A text packet: its type and the data after the digit, e.g. `(.ping, "probe")`,
  /// `(.message, "2[\"x\"]")`, `(.noop, "")`.
  case text(EngineIOPacketType, String)
  /// A binary message: raw bytes in a WebSocket binary frame, `b<base64>` in polling.
  /// There is no type byte in v4; binary is always a message.
  case binary([UInt8])

  /// A message packet carrying `text`.
  public static func message(_ text: String) -> EngineIOPacket {
    .text(.message, text)
  }
}

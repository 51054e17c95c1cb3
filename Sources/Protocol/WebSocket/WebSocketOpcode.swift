/// The four-bit frame opcode (RFC 6455 §5.2); the values not listed are reserved.
public enum WebSocketOpcode: UInt8, Sendable {
  /// A later fragment of a fragmented data message.
  case continuation = 0
  /// The first (or only) frame of a UTF-8 text message.
  case text = 1
  /// The first (or only) frame of a binary message.
  case binary = 2
  /// Control: closing handshake, optional status code and reason.
  case close = 8
  /// Control: keep-alive request, answered with a pong carrying the same payload.
  case ping = 9
  /// Control: answer to a ping, or an unsolicited heartbeat.
  case pong = 10

  /// Whether this is a control opcode (high bit of the nibble set, RFC 6455 §5.5).
  @inlinable public var isControl: Bool { rawValue & 0x08 != 0 }
}

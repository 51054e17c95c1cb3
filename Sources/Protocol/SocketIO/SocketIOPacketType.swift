/// The seven Socket.IO v5 packet types; the raw value is the packet's first character.
public enum SocketIOPacketType: UInt8, Sendable {
  /// `0`: client asks to join a namespace (optional auth object); server accepts (`{"sid":...}`).
  case connect = 0
  /// `1`: either side leaves a namespace; no payload.
  case disconnect
  /// `2`: `[name, ...args]`.
  case event
  /// `3`: answer to an event that carried an ack id; payload is the argument array.
  case ack
  /// `4`: server refuses a CONNECT; payload `{"message":...,"data":...}`.
  case connectError
  /// `5`: EVENT whose arguments contain binary placeholders; attachments follow.
  case binaryEvent
  /// `6`: ACK whose arguments contain binary placeholders; attachments follow.
  case binaryAck

  /// Whether the packet carries an attachment count and is followed by binary attachments.
  public var isBinary: Bool { self == .binaryEvent || self == .binaryAck }
}

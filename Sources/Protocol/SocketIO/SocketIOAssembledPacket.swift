/// A packet together with the binary attachments its placeholders refer to.
public struct SocketIOAssembledPacket: Sendable, Equatable {
  /// The header packet; placeholders are still in `packet.data`.
  public var packet: SocketIOPacket
  /// The attachments in placeholder order (`num` 0 first); empty for non-binary packets.
  public var attachments: [[UInt8]]

  /// A packet with its attachments.
  public init(packet: SocketIOPacket, attachments: [[UInt8]]) {
    self.packet = packet
    self.attachments = attachments
  }
}

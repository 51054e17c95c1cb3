/// Collects the binary attachments that follow a BINARY_EVENT/BINARY_ACK header
/// (protocol.md §2.5).
///
/// Feed it every decoded text packet and every binary Engine.IO message of one session, in
/// arrival order. A text packet while attachments are still due, a binary message when none
/// is due, or a placeholder naming a missing attachment is an error (the JS server closes
/// the session). After an error the assembler is empty again.
public struct SocketIOBinaryAssembler: Sendable {
  private var header: SocketIOPacket?
  private var attachments: [[UInt8]] = []

  /// An assembler waiting for nothing.
  public init() {}

  /// True after a binary header announcing attachments, until the last one arrived.
  public var isWaiting: Bool { header != nil }

  /// Feeds a decoded packet.
  ///
  /// - Returns: the packet at once when it is not binary or announces no attachments;
  ///   nil when it waits for attachments.
  /// - Throws: when attachments of an earlier header are still due, or when the count is
  ///   out of range, or (count 0) when the packet holds a placeholder.
  public mutating func receive(header: SocketIOPacket) throws(SocketIOParseError)
    -> SocketIOAssembledPacket?
  {
    guard self.header == nil else {
      reset()
      throw SocketIOParseError(message: "got plaintext data when reconstructing a packet")
    }
    guard header.type.isBinary else {
      return SocketIOAssembledPacket(packet: header, attachments: [])
    }
    guard (0...SocketIOPacketDecoder.maxAttachments).contains(header.attachmentCount) else {
      throw SocketIOParseError(message: "too many attachments")
    }
    guard header.attachmentCount > 0 else {
      return try complete(header)
    }
    self.header = header
    attachments.reserveCapacity(header.attachmentCount)
    return nil
  }

  /// Feeds one binary Engine.IO message.
  ///
  /// - Returns: the completed packet when this was the last attachment, else nil.
  /// - Throws: when no attachment is due, or a placeholder of the completed packet names a
  ///   missing attachment.
  public mutating func receive(attachment: [UInt8]) throws(SocketIOParseError)
    -> SocketIOAssembledPacket?
  {
    guard let header else {
      throw SocketIOParseError(message: "got binary data when not reconstructing a packet")
    }
    attachments.append(attachment)
    guard attachments.count == header.attachmentCount else { return nil }
    return try complete(header)
  }

  private mutating func complete(_ header: SocketIOPacket) throws(SocketIOParseError)
    -> SocketIOAssembledPacket
  {
    let assembled = SocketIOAssembledPacket(packet: header, attachments: attachments)
    reset()
    if let data = header.data {
      try SocketIOPlaceholders.validate(data, attachmentCount: assembled.attachments.count)
    }
    return assembled
  }

  private mutating func reset() {
    header = nil
    attachments = []
  }
}

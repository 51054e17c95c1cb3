/// One Socket.IO v5 packet, as carried in an Engine.IO `message` (protocol.md §2.2).
///
/// ```
/// <type>[<attachments>-][<namespace>,][<ack id>][<JSON payload>]
///   5       1-          /admin,        7        ["x",{"_placeholder":true,"num":0}]
/// ```
public struct SocketIOPacket: Sendable, Equatable {
  /// The packet type.
  public var type: SocketIOPacketType
  /// The namespace, `/` for the main one (the only one written without a `<namespace>,`).
  public var namespace: String
  /// The acknowledgement id; 0 is a valid id (the JS client's first), nil means none.
  public var ackID: UInt64?
  /// The payload; nil means none. Binary packets keep their `{"_placeholder":true,"num":N}`
  /// objects in place (see `SocketIOPlaceholders`).
  public var data: JSONValue?
  /// Number of binary attachments that follow; meaningful only for binary types.
  public var attachmentCount: Int

  /// A packet; defaults give the main namespace, no ack id, no payload, no attachments.
  public init(
    type: SocketIOPacketType, namespace: String = "/", ackID: UInt64? = nil,
    data: JSONValue? = nil, attachmentCount: Int = 0
  ) {
    self.type = type
    self.namespace = namespace
    self.ackID = ackID
    self.data = data
    self.attachmentCount = attachmentCount
  }
}

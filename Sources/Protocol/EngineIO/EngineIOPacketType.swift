/// Engine.IO v4 packet types; on the wire each is its decimal digit (protocol.md §1.2).
public enum EngineIOPacketType: UInt8, Sendable, CaseIterable {
  /// `0`, server to client: the handshake JSON.
  case open = 0
  /// `1`: close the session.
  case close
  /// `2`: heartbeat from the server, or `2probe` from a client testing a WebSocket.
  case ping
  /// `3`: heartbeat answer from the client, or `3probe` from the server.
  case pong
  /// `4`: application data (a Socket.IO packet).
  case message
  /// `5`, client to server on the new WebSocket: switch transports now.
  case upgrade
  /// `6`, server to client: nothing, used to release a pending poll.
  case noop

  /// The ASCII digit that encodes this type.
  @inlinable public var digit: UInt8 { UInt8(ascii: "0") + rawValue }

  /// The type whose digit is `byte`, or nil for any other byte.
  @inlinable public init?(digit byte: UInt8) {
    guard byte >= UInt8(ascii: "0") else { return nil }
    self.init(rawValue: byte - UInt8(ascii: "0"))
  }
}

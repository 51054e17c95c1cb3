/// A Socket.IO packet or attachment sequence the JS server would reject; the gateway closes
/// the whole Engine.IO session on it (protocol.md §2.2 rule 6).
public struct SocketIOParseError: Error, Sendable, Equatable {
  /// Human-readable reason, worded like the JS `socket.io-parser` errors where one exists.
  public var message: String

  /// An error with `message`.
  public init(message: String) {
    self.message = message
  }
}

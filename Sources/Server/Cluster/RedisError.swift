/// Why the Redis client could not do what was asked, as one sentence naming Redis and the
/// reason. No case ever carries the password; server replies are quoted as they are.
///
/// A command's own error reply (`-WRONGTYPE …`) is not one of these: it comes back as a
/// `RESPValue.error` in the command's place, since a pipeline can mix failures and results.
enum RedisError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The TCP connection could not be made (refused, unreachable, name not found).
  case connectFailed(String)
  /// The server refused the login (`WRONGPASS`, `NOAUTH`, `NOPERM`): the server's reply.
  case authenticationFailed(String)
  /// `HELLO` or `SELECT` failed for another reason: the server's reply.
  case setupFailed(String)
  /// The connection ended: the server went away, reset it, or it was closed here.
  case connectionLost(String)
  /// The server sent bytes that are not RESP, or a reply nobody asked for.
  case protocolError(String)
  /// The outbound queue is full: Redis is not reading what was already sent.
  case outboundFull(String)

  /// The sentence.
  var description: String {
    switch self {
    case .connectFailed(let message), .authenticationFailed(let message),
      .setupFailed(let message), .connectionLost(let message), .protocolError(let message),
      .outboundFull(let message):
      message
    }
  }
}

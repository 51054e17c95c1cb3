import Auth
import Protocol

/// The private session id (`pid`) of a Socket.IO CONNECT reply: self-contained and signed,
/// so any node can check it after a restart or a crash without a lookup.
///
/// ```
/// <socket id>.<epoch>.<sequence>.<MAC>
///   MAC = base64url(HMAC-SHA256(secret, user id 0x00 "<socket id>.<epoch>.<sequence>")[0..<16])
/// ```
///
/// The 128-bit MAC makes it unguessable and binds it to its user: another user's token
/// with this pid fails the check. The position is where the socket stood when the pid was
/// issued, for a client that reconnects before it got any event (no `offset` to send).
struct RecoveryID: Sendable, Equatable {
  var socketID: String
  var position: LogOffset

  /// Signs this id for `userID`.
  func encoded(for userID: String, with authenticator: MessageAuthenticator) -> String {
    let body = "\(socketID).\(position.epoch).\(position.sequence)"
    return body + "." + Self.mac(body, userID: userID, authenticator)
  }

  /// Parses and checks a pid from `userID`'s CONNECT; nil when it is malformed, forged or
  /// another user's.
  init?(verifying text: String, userID: String, with authenticator: MessageAuthenticator) {
    guard text.utf8.count <= 160 else { return nil }
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 4, !parts[0].isEmpty, let sequence = Int64(parts[2]), sequence >= 0
    else { return nil }
    let body = parts[0..<3].joined(separator: ".")
    guard
      constantTimeEquals(
        Array(Self.mac(body, userID: userID, authenticator).utf8), Array(parts[3].utf8))
    else { return nil }
    socketID = String(parts[0])
    position = LogOffset(epoch: String(parts[1]), sequence: sequence)
  }

  init(socketID: String, position: LogOffset) {
    self.socketID = socketID
    self.position = position
  }

  private static func mac(_ body: String, userID: String, _ authenticator: MessageAuthenticator)
    -> String
  {
    let code = authenticator.code(for: Array(userID.utf8) + [0] + Array(body.utf8))
    return Base64.encode(Array(code.prefix(16)), alphabet: .url)
  }
}

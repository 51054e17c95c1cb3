import Auth
import Protocol

/// The socket's token while connected: `tokenExpiring` before `exp`, `refreshToken` to extend
/// it, the end at `exp`, and a server-side disconnect (`POST /api/gateway/disconnect`).
extension ConnectionActor {
  /// Arms the token's deadlines (unix `expiresAt` seconds; nil: the token never expires).
  func tokenAccepted(expiresAt: Double?) {
    let now = Clock.monotonicNanoseconds()
    let deadline = expiresAt.map { now + Int64(($0 - Clock.unixSeconds()) * 1e9) }
    timers.tokenAccepted(
      expiresAt: deadline,
      window: Int64(context.config.tokenRefreshWindowSeconds) * 1_000_000_000, now: now)
    scheduleTimers()
  }

  /// `tokenExpiring` `{"expiresAt"}` (sent once per token).
  func warnTokenExpiry(at deadline: Int64) async {
    guard mainSocket != nil else { return }
    let unix = Clock.unixMilliseconds() + (deadline - Clock.monotonicNanoseconds()) / 1_000_000
    await emit([
      ServerPackets.event(
        "tokenExpiring", .object(JSONObject([("expiresAt", DeliveryJSON.time(unix))])))
    ])
  }

  /// `refreshToken` `{"token"}`: a token that verifies and names the same user extends the
  /// socket; anything else changes nothing. Returns the ack's argument.
  func refreshToken(_ argument: JSONValue?) -> JSONValue {
    guard let socket = mainSocket, let raw = argument?.objectValue?["token"]?.stringValue,
      let token = BearerToken.strip(raw)
    else { return Self.failure("refreshToken needs {\"token\": \"<jwt>\"}") }
    let identity: Identity
    do {
      identity = try context.verifier.verify(token, now: Clock.unixSeconds())
    } catch {
      return Self.failure("Invalid token (\(error.reason.rawValue))")
    }
    guard identity.userID == socket.userID else {
      return Self.failure("The token belongs to another user")
    }
    tokenAccepted(expiresAt: identity.expiresAt)
    let expiresAt = identity.expiresAt.map { DeliveryJSON.time(Int64($0 * 1000)) } ?? .null
    return .object(JSONObject([("success", .bool(true)), ("expiresAt", expiresAt)]))
  }

  /// Ends the socket from the server: `error` `{"message","reason"?}`, then a DISCONNECT
  /// (the client's reason is `io server disconnect`, so it does not reconnect by itself).
  /// Returns whether there was a socket to end.
  @discardableResult
  func endSocket(message: String, reason: String?, logReason: String) async -> Bool {
    guard let socket = mainSocket else { return false }
    mainSocket = nil
    timers.tokenAccepted(expiresAt: nil, window: 0, now: 0)
    await emit([ServerPackets.error(message, reason: reason), ServerPackets.disconnect])
    await leaveRegistry(socket, reason: logReason)
    return true
  }

  private static func failure(_ message: String) -> JSONValue {
    .object(JSONObject([("success", .bool(false)), ("message", .string(message))]))
  }
}

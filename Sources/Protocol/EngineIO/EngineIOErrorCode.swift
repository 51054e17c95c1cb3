/// Engine.IO request error codes and their HTTP answers (protocol.md §1.5).
public enum EngineIOErrorCode: Int, Sendable, CaseIterable {
  /// `transport` missing or not an enabled transport.
  case transportUnknown = 0
  /// `sid` names no live session.
  case sessionIDUnknown = 1
  /// A handshake (no `sid`) with a method other than GET.
  case badHandshakeMethod = 2
  /// Anything else malformed: transport mismatch, WebSocket without upgrade headers, ...
  case badRequest = 3
  /// Refused by the application's admission check.
  case forbidden = 4
  /// `EIO` missing or not `4`.
  case unsupportedProtocolVersion = 5

  /// The JS server's message text.
  public var message: String {
    switch self {
    case .transportUnknown: return "Transport unknown"
    case .sessionIDUnknown: return "Session ID unknown"
    case .badHandshakeMethod: return "Bad handshake method"
    case .badRequest: return "Bad request"
    case .forbidden: return "Forbidden"
    case .unsupportedProtocolVersion: return "Unsupported protocol version"
    }
  }

  /// HTTP status for a polling request: 403 for `forbidden`, else 400. (A refused
  /// WebSocket upgrade is always a plain 400.)
  public var httpStatus: Int { self == .forbidden ? 403 : 400 }

  /// The `application/json` body, e.g. `{"code":1,"message":"Session ID unknown"}`.
  public var jsonBody: String { "{\"code\":\(rawValue),\"message\":\"\(message)\"}" }
}

/// Validation of a client's opening handshake (RFC 6455 §4.2.1), pure.
///
/// The server computes `Sec-WebSocket-Accept` itself (base64 of SHA-1 of the key followed by
/// `acceptGUID`, through OpenSSL) and answers `101 Switching Protocols`.
public enum WebSocketHandshake {
  /// Why an upgrade request is refused, as the HTTP response to send instead of `101`.
  public struct Rejection: Error, Sendable, Equatable {
    /// HTTP status: 400, or 426 for an unsupported `Sec-WebSocket-Version`.
    public var status: Int
    /// Human-readable reason, usable as a plain-text body.
    public var message: String
    /// Headers the response must carry (`Sec-WebSocket-Version: 13` on a 426).
    public var headers: HTTPHeaders

    /// A rejection.
    public init(status: Int, message: String, headers: HTTPHeaders = HTTPHeaders()) {
      self.status = status
      self.message = message
      self.headers = headers
    }
  }

  /// The GUID appended to the client's key before hashing (RFC 6455 §1.3).
  public static let acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

  /// The only protocol version this server speaks (RFC 6455 §4.1, item 9).
  public static let version = "13"

  /// Whether the request asks for a WebSocket upgrade at all (`Upgrade` lists `websocket`,
  /// any case). Such a request must then pass `validate(_:)` or be refused.
  public static func isUpgradeRequest(_ head: HTTPRequestHead) -> Bool {
    head.headers.contains(name: "upgrade", token: "websocket")
  }

  /// Returns the client's `Sec-WebSocket-Key` when `head` is a valid upgrade request:
  /// method `GET`, HTTP/1.1 or later, `Upgrade` lists `websocket`, `Connection` lists
  /// `upgrade` (tokens compared ignoring case), `Sec-WebSocket-Version: 13` (else 426 with
  /// `Sec-WebSocket-Version: 13`), and one key that is base64 of exactly 16 bytes (else 400).
  public static func validate(_ head: HTTPRequestHead) -> Result<String, Rejection> {
    guard head.method == "GET" else {
      return .failure(Rejection(status: 400, message: "WebSocket upgrade requires GET"))
    }
    let version = head.version
    guard version.major > 1 || (version.major == 1 && version.minor >= 1) else {
      return .failure(Rejection(status: 400, message: "WebSocket upgrade requires HTTP/1.1"))
    }
    guard isUpgradeRequest(head) else {
      return .failure(Rejection(status: 400, message: "Upgrade header must list websocket"))
    }
    guard head.headers.contains(name: "connection", token: "upgrade") else {
      return .failure(Rejection(status: 400, message: "Connection header must list upgrade"))
    }
    let versions = head.headers.values(for: "sec-websocket-version")
    guard versions.count == 1, versions.first?[...].trimmingASCIIWhitespace() == "13" else {
      // RFC 6455 §4.2.2: answer an unknown version with the versions we support.
      return .failure(
        Rejection(
          status: 426, message: "Sec-WebSocket-Version must be 13",
          headers: HTTPHeaders([(name: "Sec-WebSocket-Version", value: Self.version)])))
    }
    let keys = head.headers.values(for: "sec-websocket-key")
    guard keys.count == 1, let key = keys.first?[...].trimmingASCIIWhitespace(),
      Base64.decode(Array(key.utf8))?.count == 16
    else {
      return .failure(
        Rejection(status: 400, message: "Sec-WebSocket-Key must be base64 of 16 bytes"))
    }
    return .success(String(key))
  }
}

/// Why a peer's bytes broke RFC 6455, with the close code to answer with.
///
/// The server sends a close frame with `closeCode` and `message` as the reason, then closes
/// the connection; the decoder that threw is unusable afterwards.
public struct WebSocketProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
  /// 1002 protocol error, 1007 invalid UTF-8, or 1009 message too big.
  public var closeCode: UInt16
  /// A short reason in ASCII, at most 123 bytes, so it fits a close frame as is.
  public var message: String

  /// An error with a code and a reason.
  public init(closeCode: UInt16, message: String) {
    self.closeCode = closeCode
    self.message = message
  }

  /// 1002: the framing rules were broken.
  public static func protocolError(_ message: String) -> WebSocketProtocolError {
    WebSocketProtocolError(closeCode: WebSocketCloseCode.protocolError.rawValue, message: message)
  }

  /// 1007: a text payload or close reason is not valid UTF-8.
  public static func invalidUTF8(_ message: String) -> WebSocketProtocolError {
    WebSocketProtocolError(
      closeCode: WebSocketCloseCode.invalidFramePayloadData.rawValue, message: message)
  }

  /// 1009: a message exceeds the configured size limit.
  public static func messageTooBig(_ message: String) -> WebSocketProtocolError {
    WebSocketProtocolError(closeCode: WebSocketCloseCode.messageTooBig.rawValue, message: message)
  }

  public var description: String { "WebSocket error \(closeCode): \(message)" }
}

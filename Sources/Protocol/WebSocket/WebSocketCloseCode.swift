/// A close frame status code (RFC 6455 §7.4), with the registered values as constants.
public struct WebSocketCloseCode: RawRepresentable, Sendable, Hashable {
  /// The code as sent on the wire (big-endian in the first two payload bytes).
  public var rawValue: UInt16

  /// A code; any value, whether or not it may be sent.
  public init(rawValue: UInt16) {
    self.rawValue = rawValue
  }

  /// 1000: the purpose of the connection is fulfilled.
  public static let normalClosure = WebSocketCloseCode(rawValue: 1000)
  /// 1001: the endpoint is going away (server shutdown, page navigation).
  public static let goingAway = WebSocketCloseCode(rawValue: 1001)
  /// 1002: the peer broke the framing rules.
  public static let protocolError = WebSocketCloseCode(rawValue: 1002)
  /// 1003: a data type the endpoint cannot accept.
  public static let unsupportedData = WebSocketCloseCode(rawValue: 1003)
  /// 1005: no code was present; only reported locally, never sent.
  public static let noStatusReceived = WebSocketCloseCode(rawValue: 1005)
  /// 1006: the connection dropped without a close frame; only reported locally, never sent.
  public static let abnormalClosure = WebSocketCloseCode(rawValue: 1006)
  /// 1007: a text message (or close reason) was not valid UTF-8.
  public static let invalidFramePayloadData = WebSocketCloseCode(rawValue: 1007)
  /// 1008: a message violates the endpoint's policy.
  public static let policyViolation = WebSocketCloseCode(rawValue: 1008)
  /// 1009: a message is larger than the endpoint accepts.
  public static let messageTooBig = WebSocketCloseCode(rawValue: 1009)
  /// 1010: the client expected an extension the server did not negotiate.
  public static let mandatoryExtension = WebSocketCloseCode(rawValue: 1010)
  /// 1011: the server hit an unexpected condition.
  public static let internalError = WebSocketCloseCode(rawValue: 1011)
  /// 1012: the service is restarting (IANA registry).
  public static let serviceRestart = WebSocketCloseCode(rawValue: 1012)
  /// 1013: try again later (IANA registry).
  public static let tryAgainLater = WebSocketCloseCode(rawValue: 1013)
  /// 1014: a gateway got a bad response upstream (IANA registry).
  public static let badGateway = WebSocketCloseCode(rawValue: 1014)
  /// 1015: the TLS handshake failed; only reported locally, never sent.
  public static let tlsHandshake = WebSocketCloseCode(rawValue: 1015)

  /// Whether this code may appear in a close frame; see `isValidOnWire(_:)`.
  public var isValidOnWire: Bool { Self.isValidOnWire(rawValue) }

  /// Whether `code` may appear in a close frame (RFC 6455 §7.4.1, §7.4.2): 1000-1003 and
  /// 1007-1014 (1012-1014 are IANA-registered since), and 3000-4999 (libraries and
  /// applications). 1004 is reserved; 1005, 1006 and 1015 are local-only; below 1000 is
  /// unused and 1016-2999 is reserved for future revisions, so those are protocol errors.
  public static func isValidOnWire(_ code: UInt16) -> Bool {
    switch code {
    case 1000...1003, 1007...1014, 3000...4999: return true
    default: return false
    }
  }
}

/// Why a request was rejected: the status to answer with and a sentence saying what was wrong.
///
/// The server answers `status` with `message` and then closes the connection; after one of these
/// the parser cannot tell where the next request starts.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
  /// 400 malformed, 413 body too large, 414 target too long, 431 header fields too large,
  /// 501 unsupported transfer coding, 505 HTTP version other than 1.0 and 1.1.
  public var status: Int
  /// A clear human sentence, e.g. "Request header fields exceed 16384 bytes".
  public var message: String

  /// An error with the given status and message.
  public init(status: Int, message: String) {
    self.status = status
    self.message = message
  }

  /// `400 <message>`.
  public var description: String { "\(status) \(message)" }

  /// 400 Bad Request.
  static func badRequest(_ message: String) -> HTTPParseError {
    HTTPParseError(status: 400, message: message)
  }

  /// 413 Content Too Large, for a body over `limit` bytes.
  static func bodyTooLarge(limit: Int) -> HTTPParseError {
    HTTPParseError(status: 413, message: "Request body exceeds \(limit) bytes")
  }

  /// 414 URI Too Long.
  static func targetTooLong(limit: Int) -> HTTPParseError {
    HTTPParseError(status: 414, message: "Request target exceeds \(limit) bytes")
  }

  /// 431 Request Header Fields Too Large, for the byte budget.
  static func headerBytesTooLarge(limit: Int) -> HTTPParseError {
    HTTPParseError(status: 431, message: "Request header fields exceed \(limit) bytes")
  }

  /// 431 Request Header Fields Too Large, for the field count.
  static func tooManyHeaders(limit: Int) -> HTTPParseError {
    HTTPParseError(status: 431, message: "Request has more than \(limit) header fields")
  }
}

/// Why `RESPDecoder` rejected the bytes a server sent, with a sentence saying what was wrong.
///
/// After one of these the stream cannot be resynchronised: the connection must be closed.
public struct RESPParseError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The family of the failure, for callers that react differently (log, metric).
  public enum Reason: Sendable, Equatable {
    /// The bytes break the RESP grammar.
    case malformed
    /// A length, count, depth or line is over its `RESPLimits` bound.
    case limitExceeded
    /// Valid RESP3 that this decoder does not implement (streamed strings and aggregates).
    case unsupported
  }

  /// The family of the failure.
  public var reason: Reason
  /// A clear human sentence, e.g. "RESP bulk string of 9000 bytes exceeds the limit of 4096".
  public var message: String

  /// An error of `reason` with `message`.
  public init(_ reason: Reason, _ message: String) {
    self.reason = reason
    self.message = message
  }

  /// The message.
  public var description: String { message }

  /// The RESP grammar was broken.
  static func malformed(_ message: String) -> RESPParseError {
    RESPParseError(.malformed, message)
  }

  /// A bound of `RESPLimits` was crossed.
  static func limit(_ message: String) -> RESPParseError {
    RESPParseError(.limitExceeded, message)
  }
}

/// Why a text packet or polling body is not valid Engine.IO; the session then closes with
/// reason `parse error` (protocol.md §1.2).
public struct EngineIOParseError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What was wrong, without echoing the input.
  public var message: String

  /// An error with a reason.
  public init(message: String) {
    self.message = message
  }

  public var description: String { "Engine.IO parse error: \(message)" }
}

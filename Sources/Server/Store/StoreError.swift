/// A failure of the message store: the disk, the database file, or (later) Redis.
///
/// Every store failure reaches a REST caller as one 503 in the NestJS shape and one log line
/// (`RESTAPI` maps it); a socket that cannot replay is closed so its client reconnects.
struct StoreError: Error, Sendable, CustomStringConvertible {
  /// What went wrong, for the log line and the 503's message (no payloads, no tokens).
  var message: String

  init(_ message: String) {
    self.message = message
  }

  var description: String { message }
}

/// Why a session ended, in the words Socket.IO uses for `disconnect` reasons.
enum CloseReason: String, Sendable, CaseIterable {
  case transportClose = "transport close"
  case transportError = "transport error"
  case pingTimeout = "ping timeout"
  case parseError = "parse error"
  case forcedClose = "forced close"
  case serverShuttingDown = "server shutting down"
  case forcedServerClose = "forced server close"
  /// The client did not read its frames and its outbound queue passed the limit.
  case slowConsumer = "slow consumer"
  /// The same socket reconnected and recovered on a new transport before this one timed out.
  case replaced = "replaced by a recovered connection"
  /// The socket's missed messages could not be read from the store.
  case storeUnavailable = "store unavailable"
}

/// Which protocol a session speaks above Engine.IO.
enum SessionApplication: Sendable {
  /// Socket.IO v5 with the seed's events (the product).
  case socketIO
  /// Bare Engine.IO that echoes every message back (conformance mode, `/engine.io/`).
  case engineEcho
}

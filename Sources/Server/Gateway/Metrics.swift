import Synchronization

/// Process-wide counters (relaxed atomics; read for logs and, later, Prometheus).
final class Metrics: Sendable {
  let connectionsAccepted = Atomic<Int>(0)
  let connectionsOpen = Atomic<Int>(0)
  let connectionsRefused = Atomic<Int>(0)
  let badRequests = Atomic<Int>(0)
  let authFailures = Atomic<Int>(0)
  let slowConsumers = Atomic<Int>(0)
  let eventsDelivered = Atomic<Int>(0)
  /// Client events dropped over the per-socket budget.
  let rateLimitedEvents = Atomic<Int>(0)
  /// Webhook events the receiver accepted.
  let webhooksDelivered = Atomic<Int>(0)
  /// Webhook attempts that failed (an error status, no answer, or a broken connection).
  let webhookFailures = Atomic<Int>(0)
  /// REST calls answered 429.
  let rateLimitedRequests = Atomic<Int>(0)
  /// Sockets refused over `GATEWAY_MAX_SOCKETS_PER_USER`.
  let socketsRefused = Atomic<Int>(0)
  /// TCP connections closed over `GATEWAY_MAX_CONNECTIONS_PER_IP`.
  let connectionsRefusedPerAddress = Atomic<Int>(0)
}

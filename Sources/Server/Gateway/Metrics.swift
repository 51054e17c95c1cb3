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
}

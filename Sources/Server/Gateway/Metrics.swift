import Auth

/// Process-wide counters, each one relaxed atomic add on the hot path (no lock), and each
/// with its Prometheus name and help beside it.
///
/// `/metrics` writes every stored `MetricFamily` here, in this order (`Metrics+Exposition`),
/// so adding a metric is one line: a `Counter`, a `LabeledCounter` with a fixed set of
/// label values, a `LatencyHistogram`, or a `MetricFamily` of a component's own.
/// Gauges that are read from elsewhere at scrape time (connections, users, the process)
/// are written by `MetricsRoute`.
final class Metrics: Sendable {
  let connectionsAccepted = Counter(
    "gateway_tcp_connections_accepted_total", "TCP connections accepted (refused ones included).")
  let connectionsRefused = Counter(
    "gateway_tcp_connections_refused_total",
    "TCP connections answered 503 and closed at GATEWAY_MAX_CONNECTIONS.")
  let badRequests = Counter(
    "gateway_http_bad_requests_total",
    "Requests the HTTP parser refused (malformed, too large, too slow).")
  let bytesReceived = Counter(
    "gateway_bytes_received_total", "Bytes read from client sockets (HTTP, polling, WebSocket).")
  let bytesSent = Counter(
    "gateway_bytes_sent_total", "Bytes written to client sockets (HTTP, polling, WebSocket).")
  let socketConnects = Counter(
    "gateway_socket_connects_total", "Socket.IO sockets authenticated and registered.")
  let socketDisconnects = LabeledCounter(
    "gateway_socket_disconnects_total", "Registered Socket.IO sockets that left, by reason.",
    label: "reason", cases: CloseReason.self, extra: ["client namespace disconnect"])
  let authFailures = LabeledCounter(
    "gateway_auth_failures_total", "Socket.IO connections refused for their token, by reason.",
    label: "reason", cases: AuthError.Reason.self)
  let eventsReceived = Counter(
    "gateway_events_received_total", "Socket.IO events received from clients.")
  let eventsDelivered = Counter(
    "gateway_events_delivered_total",
    "Socket.IO events queued to sockets by REST pushes (one per target socket).")
  let slowConsumers = Counter(
    "gateway_slow_consumer_closes_total",
    "Sockets closed because their outbound queue passed GATEWAY_OUTBOUND_LIMIT_BYTES.")
  let pushLatency = LatencyHistogram(
    "gateway_push_duration_seconds",
    "Time from a REST push being routed to its frames being queued on every target socket.")
  let rest = RESTMetrics()
  let rateLimitedEvents = Counter(
    "gateway_client_events_rate_limited_total",
    "Client events dropped over the per-socket budget (GATEWAY_CLIENT_EVENTS_PER_S).")
  let rateLimitedRequests = Counter(
    "gateway_rest_rate_limited_total", "REST calls answered 429 (GATEWAY_API_RATE_PER_S).")
  let socketsRefused = Counter(
    "gateway_sockets_refused_total",
    "Sockets refused with Too many connections (GATEWAY_MAX_SOCKETS_PER_USER).")
  let connectionsRefusedPerAddress = Counter(
    "gateway_tcp_connections_refused_per_address_total",
    "TCP connections closed at once over GATEWAY_MAX_CONNECTIONS_PER_IP.")
  let webhooksDelivered = Counter(
    "gateway_webhooks_delivered_total", "Webhook events the receiver accepted (2xx).")
  let webhookFailures = Counter(
    "gateway_webhook_failures_total",
    "Webhook attempts that failed: an error status, no answer in time, or a broken connection.")
  let clusterEnvelopes = Counter(
    "gateway_cluster_envelopes_received_total",
    "Cluster mode: messages from other nodes (persisted entries and live events) for sockets here.")
  let gapRepairs = Counter(
    "gateway_cluster_gap_repairs_total",
    "Cluster mode: times a socket's missing entries were read from the store before a newer one.")
  let gapRepairFailures = Counter(
    "gateway_cluster_gap_repair_failures_total",
    "Cluster mode: reads of a socket's missing entries that failed (each is tried again).")
  let redisDisconnects = Counter(
    "gateway_cluster_redis_disconnects_total",
    "Cluster mode: times a connection to Redis was lost (each reconnects by itself).")
  let forwardedRequests = Counter(
    "gateway_cluster_forwarded_requests_total",
    "Cluster mode: polling requests for another node's session, forwarded to it and answered.")
  let forwardedUpgrades = Counter(
    "gateway_cluster_forwarded_upgrades_total",
    "Cluster mode: WebSocket upgrades for another node's session, spliced to it.")
  let forwardingFailures = Counter(
    "gateway_cluster_forwarding_failures_total",
    "Cluster mode: requests for another node's session answered Session ID unknown because "
      + "that node is unknown, dead or unreachable.")
  /// The store's writer (owned by the store, listed here so `/metrics` writes it).
  let store: StoreMetrics
  /// When the process started, in seconds since the Unix epoch (not a family: written as a
  /// gauge by `MetricsScrape`).
  let startTime = Clock.unixSeconds()

  init(store: StoreMetrics = StoreMetrics()) {
    self.store = store
  }
}

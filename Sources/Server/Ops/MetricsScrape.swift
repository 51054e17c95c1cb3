/// One `/metrics` answer: the gauges read at scrape time (connections, users, the process),
/// then every counter and histogram of `Metrics`.
struct MetricsScrape: Sendable {
  /// Where the counters and gauges are read.
  let context: GatewayContext

  /// The whole exposition text.
  func text() async -> String {
    var exposition = PrometheusExposition()
    let counts = await context.registry.counts()
    exposition.single(
      "gateway_tcp_connections_open", help: "Open TCP connections (HTTP, polling, WebSocket).",
      type: .gauge, context.connections.count)
    exposition.single(
      "gateway_sockets_connected", help: "Authenticated Socket.IO sockets (tabs, devices).",
      type: .gauge, counts.sockets)
    exposition.single(
      "gateway_users_connected", help: "Users with at least one connected socket.", type: .gauge,
      counts.users)
    exposition.single(
      "gateway_draining", help: "1 while the gateway drains for shutdown, else 0.", type: .gauge,
      context.isDraining ? 1 : 0)
    if let counts = try? await context.delivery.store.counts(now: Clock.unixMilliseconds()) {
      exposition.single(
        "gateway_messages_queued", help: "Stored copies no live socket got yet.", type: .gauge,
        counts.queued)
      exposition.single(
        "gateway_messages_expired", help: "Stored copies whose lifetime ended before delivery.",
        type: .gauge, counts.expired)
      exposition.single(
        "gateway_webhook_outbox_depth", help: "Webhook events waiting in the outbox.",
        type: .gauge, counts.webhookBacklog)
    }
    context.metrics.write(into: &exposition)
    writeProcess(into: &exposition)
    return exposition.text
  }

  private func writeProcess(into exposition: inout PrometheusExposition) {
    let process = ProcessStats.current()
    exposition.single(
      "gateway_process_cpu_seconds_total", help: "User and system CPU time spent, in seconds.",
      type: .counter, process.cpuSeconds)
    if let resident = process.residentBytes {
      exposition.single(
        "gateway_process_resident_memory_bytes", help: "Resident memory size in bytes.",
        type: .gauge, resident)
    }
    if let descriptors = process.openFileDescriptors {
      exposition.single(
        "gateway_process_open_fds", help: "Open file descriptors.", type: .gauge, descriptors)
    }
    exposition.single(
      "gateway_process_start_time_seconds", help: "Start time since the Unix epoch, in seconds.",
      type: .gauge, context.metrics.startTime)
  }
}

/// `connect`: open N authenticated connections (distinct users) a bounded number at a time,
/// hold them answering pings, and read the server's memory per connection.
struct ConnectScenario {
  let context: ScenarioContext

  func run() -> ResultLine {
    let options = context.options
    var line = context.startLine()
    line.add("connections", options.connections)
    line.add("concurrency", options.concurrency)
    let rssBefore = context.probe.residentKilobytes() ?? 0
    let fleet = context.makeFleet()
    let window = MeasurementWindow(probe: context.probe)
    fleet.connect(
      count: options.connections, concurrency: options.concurrency,
      deadline: context.phaseDeadline)
    window.close(operations: fleet.joined, prefix: "", into: &line)
    context.reportHandshakes(of: fleet, into: &line)
    context.loop.idle(for: Int64(options.holdSeconds * 1e9))
    let rssAfter = context.probe.residentKilobytes() ?? 0
    line.add("held", fleet.live)
    line.add("dropped", fleet.dropped)
    line.add("hold_s", options.holdSeconds)
    line.add("pings_answered", fleet.clients.reduce(0) { $0 + ($1?.pingsAnswered ?? 0) })
    line.add("server_rss_before_kb", rssBefore)
    line.add("server_rss_after_kb", rssAfter)
    line.add(
      "server_rss_per_connection_bytes",
      fleet.live > 0 ? (rssAfter - rssBefore) * 1024 / fleet.live : 0)
    line.add("server_fds", context.probe.openDescriptors() ?? 0)
    fleet.disconnectAll()
    return line
  }
}

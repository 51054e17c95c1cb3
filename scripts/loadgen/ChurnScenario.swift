/// `churn`: connect/disconnect cycles (connect, authenticate, receive `connected`, close
/// handshake), a bounded number at a time, then checks that the server's resident memory and
/// open descriptors return to the baseline taken after a warm-up.
struct ChurnScenario {
  let context: ScenarioContext

  func run() -> ResultLine {
    let options = context.options
    var line = context.startLine()
    line.add("cycles", options.cycles)
    line.add("concurrency", options.concurrency)
    let fleet = context.makeFleet()
    fleet.onJoined = { $0.leave() }
    let warmUp = min(max(options.cycles / 10, 1), 2000)
    run(fleet, through: warmUp)
    settle(toward: nil)
    let rssBaseline = context.probe.residentKilobytes() ?? 0
    let fdsBaseline = context.probe.openDescriptors() ?? 0
    fleet.handshakes = LatencyRecorder()
    let endedBefore = fleet.left + fleet.dropped + fleet.failedHandshakes
    let window = MeasurementWindow(probe: context.probe)
    run(fleet, through: warmUp + options.cycles)
    window.close(operations: options.cycles, prefix: "", into: &line)
    let ended = fleet.left + fleet.dropped + fleet.failedHandshakes - endedBefore
    line.add("completed", ended - fleet.failedHandshakes)
    line.add("handshake_failures", fleet.failedHandshakes)
    line.add("dropped", fleet.dropped)
    line.add("unfinished", options.cycles - ended)
    fleet.handshakes.report("handshake", into: &line)
    settle(toward: fdsBaseline)
    let rssAfter = context.probe.residentKilobytes() ?? 0
    let fdsAfter = context.probe.openDescriptors() ?? 0
    line.add("server_rss_baseline_kb", rssBaseline)
    line.add("server_rss_after_kb", rssAfter)
    line.add(
      "server_rss_growth_pct",
      rssBaseline > 0 ? Double(rssAfter - rssBaseline) * 100 / Double(rssBaseline) : 0)
    line.add("server_fds_baseline", fdsBaseline)
    line.add("server_fds_after", fdsAfter)
    return line
  }

  /// Launches cycles up to user index `total` and runs until all of them ended.
  private func run(_ fleet: ClientFleet, through total: Int) {
    fleet.launch(total: total, concurrency: context.options.concurrency)
    context.loop.run(deadline: context.phaseDeadline) {
      fleet.left + fleet.dropped + fleet.failedHandshakes >= total
    }
  }

  /// Lets the server finish closing: waits (up to five seconds) until its descriptor count
  /// is back to `descriptors`, then half a second more for deferred frees.
  private func settle(toward descriptors: Int?) {
    let deadline = MonotonicClock.now() + 5_000_000_000
    while let descriptors, MonotonicClock.now() < deadline,
      (context.probe.openDescriptors() ?? 0) > descriptors
    {
      context.loop.idle(for: 50_000_000)
    }
    context.loop.idle(for: 500_000_000)
  }
}

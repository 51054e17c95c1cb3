/// The span over which a scenario's operations are counted: server CPU (from `/proc`),
/// the generator's own CPU, and wall time.
struct MeasurementWindow {
  private let probe: ProcessProbe
  private let startedAt: Int64
  private let serverCPUAtStart: (user: Int64, system: Int64)?
  private let ownCPUAtStart: Int64

  /// Opens the window now.
  init(probe: ProcessProbe) {
    self.probe = probe
    startedAt = MonotonicClock.now()
    serverCPUAtStart = probe.cpuNanoseconds()
    ownCPUAtStart = ProcessProbe.ownCPUNanoseconds()
  }

  /// Wall time since the window opened, in nanoseconds.
  var elapsed: Int64 { MonotonicClock.now() - startedAt }

  /// Closes the window and adds its figures to `line`, keys prefixed by `prefix`:
  /// wall seconds, operations per second, server CPU total and per operation (µs),
  /// and the generator's CPU as a share of one core.
  func close(operations: Int, prefix: String, into line: inout ResultLine) {
    let wall = elapsed
    let ownCPU = ProcessProbe.ownCPUNanoseconds() - ownCPUAtStart
    let seconds = Double(wall) / 1e9
    line.add("\(prefix)wall_s", seconds)
    line.add("\(prefix)ops_per_s", seconds > 0 ? Double(operations) / seconds : 0)
    if let start = serverCPUAtStart, let end = probe.cpuNanoseconds() {
      let user = end.user - start.user
      let system = end.system - start.system
      let perOperation = { (nanoseconds: Int64) -> Double in
        operations > 0 ? Double(nanoseconds) / 1e3 / Double(operations) : 0
      }
      line.add("\(prefix)server_cpu_ms", Double(user + system) / 1e6)
      line.add("\(prefix)server_cpu_per_op_us", perOperation(user + system))
      line.add("\(prefix)server_user_per_op_us", perOperation(user))
      line.add("\(prefix)server_sys_per_op_us", perOperation(system))
      line.add("\(prefix)server_cpu_pct", wall > 0 ? Double(user + system) * 100 / Double(wall) : 0)
    }
    line.add(
      "\(prefix)loadgen_cpu_per_op_us",
      operations > 0 ? Double(ownCPU) / 1e3 / Double(operations) : 0)
    line.add("\(prefix)loadgen_cpu_pct", wall > 0 ? Double(ownCPU) * 100 / Double(wall) : 0)
  }
}

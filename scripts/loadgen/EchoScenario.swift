/// `echo`: N joined clients each emit `message` and await `messageReceived`, one round trip
/// in flight per client, until the total is reached. Reports round trips per second, CPU
/// per round trip and latency; each reply must carry the sender's own tag.
final class EchoScenario {
  private let context: ScenarioContext
  private var clients: [SocketIOClient] = []
  private var outstanding: [Int] = []
  private var sentAt: [Int64] = []
  private var issued = 0
  private var completed = 0
  private var limit = 0
  private var duplicated = 0
  private var misrouted = 0
  private var latency = LatencyRecorder()
  private static let eventName = Array("messageReceived".utf8)
  private static let userKey = Array(#""u":"#.utf8)
  private static let sequenceKey = Array(#""s":"#.utf8)

  init(context: ScenarioContext) {
    self.context = context
  }

  func run() -> ResultLine {
    let options = context.options
    var line = context.startLine()
    line.add("connections", options.connections)
    let fleet = context.connectFleet(into: &line) { [unowned self] client, packet in
      self.received(by: client, packet)
    }
    clients = fleet.clients.compactMap { $0 }
    guard !clients.isEmpty else { return line }
    outstanding = Array(repeating: -1, count: fleet.clients.count)
    sentAt = Array(repeating: 0, count: fleet.clients.count)
    var lost = runPhase(count: min(options.requests / 10, 1000))
    latency = LatencyRecorder()
    let window = MeasurementWindow(probe: context.probe)
    lost += runPhase(count: options.requests)
    window.close(operations: options.requests, prefix: "", into: &line)
    latency.report("rtt", into: &line)
    line.add("round_trips", completed)
    line.add("lost", lost)
    line.add("duplicated", duplicated)
    line.add("misrouted", misrouted)
    fleet.disconnectAll()
    return line
  }

  /// `count` round trips, each client keeping one in flight; returns how many never came back.
  private func runPhase(count: Int) -> Int {
    issued = 0
    completed = 0
    limit = count
    for client in clients { emit(from: client) }
    context.loop.run(deadline: context.phaseDeadline) { completed >= limit }
    return issued - completed
  }

  private func emit(from client: SocketIOClient) {
    guard issued < limit, client.phase == .joined else { return }
    let sequence = issued
    issued += 1
    outstanding[client.index] = sequence
    sentAt[client.index] = MonotonicClock.now()
    client.sendText(
      Array(#"42["message",{"message":{"u":\#(client.index),"s":\#(sequence)}}]"#.utf8))
  }

  private func received(by client: SocketIOClient, _ packet: UnsafeBufferPointer<UInt8>) {
    guard PacketScanner.isEvent(packet, named: Self.eventName) else { return }
    let sequence = PacketScanner.integer(after: Self.sequenceKey, in: packet)
    guard PacketScanner.integer(after: Self.userKey, in: packet) == client.index else {
      misrouted += 1
      return
    }
    guard let sequence, sequence == outstanding[client.index] else {
      duplicated += 1
      return
    }
    outstanding[client.index] = -1
    completed += 1
    latency.record(MonotonicClock.now() - sentAt[client.index])
    emit(from: client)
  }
}

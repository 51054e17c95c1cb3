/// `push`: N users connected; REST `POST /api/gateway/send` to random users from C
/// keep-alive requesters. A closed-loop peak phase measures req/s and CPU per push; a phase
/// paced at half that rate measures end-to-end latency (request start → the client has the
/// event). Every push carries its sequence number and target, so lost, duplicated and
/// misrouted deliveries are counted exactly.
final class PushScenario: RESTClientOwner {
  private let context: ScenarioContext
  private var ledger = DeliveryLedger()
  private var joinedUsers: [Int] = []
  private var requesters: [RESTClient] = []
  private var idle: [RESTClient] = []
  private var recorders: [LatencyRecorder] = []
  private var restLatency = LatencyRecorder()
  private var phase = 0..<0
  private var phaseIndex = 0
  private var nextSequence = 0
  private var answers = 0
  private var accepted = 0
  private var delivered = 0
  private var lastAnswerAt: Int64 = 0
  private var closedLoop = true
  private var peakStartedAt: Int64 = 0
  private static let eventName = Array("bench".utf8)
  private static let userKey = Array(#""u":"#.utf8)
  private static let sequenceKey = Array(#""s":"#.utf8)
  private static let success = Array(#""success":true"#.utf8)

  init(context: ScenarioContext) {
    self.context = context
  }

  func run() -> ResultLine {
    let options = context.options
    var line = context.startLine()
    line.add("connections", options.connections)
    line.add("requesters", options.requesters)
    let fleet = context.connectFleet(into: &line) { [unowned self] client, packet in
      self.received(by: client, packet)
    }
    joinedUsers = fleet.clients.compactMap { $0?.index }
    guard !joinedUsers.isEmpty else { return line }
    for _ in 0..<options.requesters {
      if let requester = RESTClient.connect(
        to: context.restAddress, loop: context.loop, owner: self)
      {
        requesters.append(requester)
      }
    }
    runClosedLoop(count: min(options.requests / 10, 1000))
    let peak = MeasurementWindow(probe: context.probe)
    let peakRange = runClosedLoop(count: options.requests)
    let peakSeconds = Double(max(lastAnswerAt - peakStartedAt, 1)) / 1e9
    peak.close(operations: options.requests, prefix: "", into: &line)
    line.add("rest_rps", Double(options.requests) / peakSeconds)
    recorders[phaseIndex].report("e2e", into: &line)
    restLatency.report("rest", into: &line)
    let rate = Double(options.requests) / peakSeconds / 2
    let paced = MeasurementWindow(probe: context.probe)
    let pacedCount = Int(rate * options.pacedSeconds)
    let late = runPaced(count: pacedCount, rate: rate)
    line.add("paced_rate", rate)
    line.add("paced_requests", pacedCount)
    line.add("paced_late", late)
    paced.close(operations: pacedCount, prefix: "paced_", into: &line)
    recorders[phaseIndex].report("paced_e2e", into: &line)
    line.add("sent", ledger.count)
    line.add("accepted", ledger.acceptedCount)
    line.add("refused", ledger.refused)
    line.add("failed_requests", ledger.failedRequests)
    line.add("delivered", ledger.delivered)
    line.add("lost", ledger.lost(in: 0..<ledger.count))
    line.add("duplicated", ledger.duplicated)
    line.add("misrouted", ledger.misrouted)
    line.add("peak_lost", ledger.lost(in: peakRange))
    // A client the server closed (say, a missed heartbeat) gets its pushes only when it
    // reconnects and recovers, which this fleet does not do: its accepted pushes show as lost.
    line.add("dropped", fleet.dropped)
    for requester in requesters { requester.close() }
    fleet.disconnectAll()
    return line
  }

  /// Sends `count` pushes, each requester sending its next one when answered.
  @discardableResult
  private func runClosedLoop(count: Int) -> Range<Int> {
    beginPhase(count: count)
    closedLoop = true
    peakStartedAt = MonotonicClock.now()
    for requester in requesters where !requester.isDead { sendNext(on: requester) }
    awaitPhase()
    return phase
  }

  /// Sends `count` pushes at `rate` per second from whichever requester is free; returns how
  /// many went out more than a millisecond after their due time (no requester was free).
  private func runPaced(count: Int, rate: Double) -> Int {
    beginPhase(count: count)
    closedLoop = false
    idle = requesters.filter { !$0.isDead && !$0.isBusy }
    let start = MonotonicClock.now()
    let interval = 1e9 / max(rate, 1)
    var sent = 0
    var late = 0
    awaitPhase {
      let now = MonotonicClock.now()
      while sent < count {
        let due = start + Int64(Double(sent) * interval)
        if due > now { return due }
        guard let requester = idle.popLast() else { return nil }
        if now - due > 1_000_000 { late += 1 }
        sendNext(on: requester)
        sent += 1
      }
      return nil
    }
    return late
  }

  private func beginPhase(count: Int) {
    phase = ledger.count..<(ledger.count + count)
    nextSequence = phase.lowerBound
    phaseIndex = recorders.count
    recorders.append(LatencyRecorder())
    answers = 0
    accepted = 0
    delivered = 0
    restLatency = LatencyRecorder()
  }

  /// Runs until every answer is in and every accepted push arrived (or two seconds passed
  /// since the last answer: the rest count as lost).
  private func awaitPhase(tick: () -> Int64? = { nil }) {
    let count = phase.count
    context.loop.run(deadline: context.phaseDeadline) {
      if let wake = tick() { return wake }
      return answers == count ? lastAnswerAt + 2_000_000_000 : nil
    } done: {
      answers == count
        && (delivered >= accepted || MonotonicClock.now() > lastAnswerAt + 2_000_000_000)
    }
  }

  private func sendNext(on requester: RESTClient) {
    guard nextSequence < phase.upperBound, !requester.isDead else { return }
    let user = joinedUsers[context.loop.random.next(below: joinedUsers.count)]
    let sequence = ledger.open(user: user)
    nextSequence += 1
    var body = Array(#"{"userId":""#.utf8)
    body.append(contentsOf: context.users.userID(user))
    body.append(contentsOf: #"","event":"bench","message":{"u":\#(user),"s":\#(sequence)}}"#.utf8)
    requester.send(context.restRequest(path: "/api/gateway/send", body: body), tag: sequence)
    ledger.markSent(sequence, at: requester.sentAt)
  }

  func requester(
    _ requester: RESTClient, answered response: HTTPResponseParser.Response, tag: Int
  ) {
    let now = MonotonicClock.now()
    let isAccepted =
      response.status == 201 && PacketScanner.contains(Self.success, in: response.body)
    ledger.answer(tag, accepted: isAccepted)
    if phase.contains(tag) {
      answers += 1
      if isAccepted { accepted += 1 }
      restLatency.record(now - requester.sentAt)
      lastAnswerAt = now
    }
    if closedLoop { sendNext(on: requester) } else { idle.append(requester) }
  }

  func requesterFailed(_ requester: RESTClient, tag: Int?) {
    guard let tag else { return }
    ledger.requestFailed(tag)
    if phase.contains(tag) {
      answers += 1
      lastAnswerAt = MonotonicClock.now()
    }
  }

  private func received(by client: SocketIOClient, _ packet: UnsafeBufferPointer<UInt8>) {
    guard PacketScanner.isEvent(packet, named: Self.eventName) else { return }
    let sequence = PacketScanner.integer(after: Self.sequenceKey, in: packet)
    let user = PacketScanner.integer(after: Self.userKey, in: packet)
    guard
      let latency = ledger.receive(
        sequence: sequence, taggedUser: user, receiver: client.index, at: MonotonicClock.now()),
      let sequence
    else { return }
    // A straggler from an earlier phase is in the ledger; its latency belongs to no phase.
    guard phase.contains(sequence) else { return }
    delivered += 1
    recorders[phaseIndex].record(latency)
  }
}

/// `fanout`: N users connected; `POST /api/gateway/send-many` to all of them (or, with
/// `--room`, `POST /api/gateway/send-room` to a room holding all of them), K rounds one after
/// the other. Reports deliveries per second, CPU per delivery, the completion latency
/// of each round (request start → the last user has it) and every delivery's latency.
final class FanoutScenario: RESTClientOwner {
  private let context: ScenarioContext
  private var lastRound: [Int32] = []
  private var roundStartedAt: Int64 = 0
  private var round = 0
  private var roundDeliveries = 0
  private var answered = false
  private var answeredAt: Int64 = 0
  private var refused = 0
  private var targetUsers = 0
  private var duplicated = 0
  private var misrouted = 0
  private var deliveries = LatencyRecorder()
  private var completions = LatencyRecorder()
  private var firstDeliveries = LatencyRecorder()
  private var path = "/api/gateway/send-many"
  private static let eventName = Array("fan".utf8)
  private static let presenceName = Array("presence".utf8)
  private static let roundKey = Array(#""r":"#.utf8)
  private static let success = Array(#""success":true"#.utf8)

  init(context: ScenarioContext) {
    self.context = context
  }

  func run() -> ResultLine {
    let options = context.options
    var line = context.startLine()
    line.add("connections", options.connections)
    line.add("rounds", options.rounds)
    let fleet = context.connectFleet(into: &line) { [unowned self] client, packet in
      self.received(by: client, packet)
    }
    // A client hears `connected` a moment before the gateway has registered it (the
    // greeting is emitted first), so a send-many right after the last join can miss that
    // user; let registration settle before the first round.
    context.loop.idle(for: 200_000_000)
    let users = fleet.clients.compactMap { $0?.index }
    lastRound = Array(repeating: -1, count: fleet.clients.count)
    targetUsers = users.count
    guard !users.isEmpty,
      let requester = RESTClient.connect(to: context.restAddress, loop: context.loop, owner: self)
    else { return line }
    var list = Array(#"{"userIds":["#.utf8)
    for (position, user) in users.enumerated() {
      if position > 0 { list.append(UInt8(ascii: ",")) }
      list.append(UInt8(ascii: "\""))
      list.append(contentsOf: context.users.userID(user))
      list.append(UInt8(ascii: "\""))
    }
    list.append(UInt8(ascii: "]"))
    var prefix = list
    if let room = options.room {
      // Members first: one PUT with every user, answered before the first round.
      var body = list
      body.append(UInt8(ascii: "}"))
      answered = false
      requester.send(
        context.restRequest(path: "/api/gateway/rooms/\(room)/members", body: body, method: "PUT"),
        tag: -1)
      context.loop.run(deadline: context.phaseDeadline) { answered || requester.isDead }
      prefix = Array(#"{"room":"\#(room)""#.utf8)
      path = "/api/gateway/send-room"
    }
    prefix.append(contentsOf: #","event":"fan","message":{"r":"#.utf8)
    var lost = 0
    // Round 0 warms up; rounds 1...K are measured.
    lost += runRound(0, prefix: prefix, users: users.count, requester: requester)
    deliveries = LatencyRecorder()
    completions = LatencyRecorder()
    firstDeliveries = LatencyRecorder()
    let window = MeasurementWindow(probe: context.probe)
    for round in 1...options.rounds {
      lost += runRound(round, prefix: prefix, users: users.count, requester: requester)
    }
    window.close(operations: users.count * options.rounds, prefix: "", into: &line)
    line.add("deliveries", users.count * options.rounds - lost)
    completions.report("completion", into: &line)
    firstDeliveries.report("first_delivery", into: &line)
    deliveries.report("delivery", into: &line)
    line.add("refused", refused)
    line.add("lost", lost)
    line.add("duplicated", duplicated)
    line.add("misrouted", misrouted)
    requester.close()
    fleet.disconnectAll()
    return line
  }

  /// Sends round `round` and waits until every user has it (or two seconds after the
  /// answer); returns how many users never got it.
  private func runRound(_ round: Int, prefix: [UInt8], users: Int, requester: RESTClient) -> Int {
    self.round = round
    roundDeliveries = 0
    answered = false
    var body = prefix
    body.append(contentsOf: "\(round)}}".utf8)
    roundStartedAt = MonotonicClock.now()
    requester.send(context.restRequest(path: path, body: body), tag: round)
    context.loop.run(deadline: context.phaseDeadline) {
      answered ? answeredAt + 2_000_000_000 : nil
    } done: {
      (answered && roundDeliveries >= users)
        || (answered && MonotonicClock.now() > answeredAt + 2_000_000_000) || requester.isDead
    }
    return users - roundDeliveries
  }

  func requester(
    _ requester: RESTClient, answered response: HTTPResponseParser.Response, tag: Int
  ) {
    if tag >= 0, response.status != 201 || !PacketScanner.contains(Self.success, in: response.body)
    {
      refused += 1
    } else if tag < 0, response.status != 200 {
      refused += 1
    }
    answered = true
    answeredAt = MonotonicClock.now()
  }

  func requesterFailed(_ requester: RESTClient, tag: Int?) {
    refused += 1
  }

  private func received(by client: SocketIOClient, _ packet: UnsafeBufferPointer<UInt8>) {
    // A room's members hear each other's presence; that is not the fan-out under test.
    if PacketScanner.isEvent(packet, named: Self.presenceName) { return }
    guard PacketScanner.isEvent(packet, named: Self.eventName),
      let tagged = PacketScanner.integer(after: Self.roundKey, in: packet), tagged <= round
    else {
      misrouted += 1
      return
    }
    guard lastRound[client.index] < Int32(tagged) else {
      duplicated += 1
      return
    }
    lastRound[client.index] = Int32(tagged)
    guard tagged == round else { return }
    let latency = MonotonicClock.now() - roundStartedAt
    roundDeliveries += 1
    deliveries.record(latency)
    if roundDeliveries == 1 { firstDeliveries.record(latency) }
    if roundDeliveries == targetUsers { completions.record(latency) }
  }
}

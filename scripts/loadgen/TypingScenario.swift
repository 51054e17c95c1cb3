/// `typing`: N clients in pairs, each pair alone in a room (`ty<pair>`); the first of each
/// pair emits `typing` for the room at `--rate` events per second (all pairs together) for
/// `--paced-seconds`, and the gateway relays each to the other. Reports relayed events per
/// second, CPU per event and the relay latency (emit → the partner has it, matched in order
/// per pair). Relays to anyone but the partner, and any lost one, are counted.
final class TypingScenario: RESTClientOwner {
  private let context: ScenarioContext
  private var sentAt: [[Int64]] = []
  private var nextReceive: [Int] = []
  private var relayed = 0
  private var misrouted = 0
  private var answers = 0
  private var refused = 0
  private var latency = LatencyRecorder()
  private static let eventName = Array("typing".utf8)
  private static let roomKey = Array(#""room":"ty"#.utf8)

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
    let clients = fleet.clients
    let pairs = clients.count / 2
    guard pairs > 0,
      let requester = RESTClient.connect(to: context.restAddress, loop: context.loop, owner: self)
    else { return line }
    // One room per pair, set over one keep-alive connection, one request at a time.
    for pair in 0..<pairs {
      let members = [2 * pair, 2 * pair + 1].map {
        "\"" + String(decoding: context.users.userID($0), as: UTF8.self) + "\""
      }
      let body = Array(#"{"userIds":[\#(members.joined(separator: ","))]}"#.utf8)
      let before = answers
      requester.send(
        context.restRequest(
          path: "/api/gateway/rooms/ty\(pair)/members", body: body, method: "PUT"),
        tag: pair)
      context.loop.run(deadline: context.phaseDeadline) { answers > before || requester.isDead }
    }
    requester.close()
    sentAt = Array(repeating: [], count: pairs)
    nextReceive = Array(repeating: 0, count: pairs)
    let count = Int(options.rate * options.pacedSeconds)
    let interval = 1e9 / options.rate
    let window = MeasurementWindow(probe: context.probe)
    let start = MonotonicClock.now()
    var sent = 0
    var lastSentAt = start
    context.loop.run(deadline: context.phaseDeadline) {
      let now = MonotonicClock.now()
      while sent < count {
        let due = start + Int64(Double(sent) * interval)
        if due > now { return due }
        let pair = sent % pairs
        if let sender = clients[2 * pair], sender.phase == .joined {
          sentAt[pair].append(MonotonicClock.now())
          sender.sendText(Array(#"42["typing",{"room":"ty\#(pair)","isTyping":true}]"#.utf8))
        }
        sent += 1
        lastSentAt = now
      }
      return lastSentAt + 2_000_000_000
    } done: {
      sent >= count
        && (relayed >= sentAt.reduce(0) { $0 + $1.count }
          || MonotonicClock.now() > lastSentAt + 2_000_000_000)
    }
    let emitted = sentAt.reduce(0) { $0 + $1.count }
    window.close(operations: relayed, prefix: "", into: &line)
    latency.report("relay", into: &line)
    line.add("emitted", emitted)
    line.add("relayed", relayed)
    line.add("lost", emitted - relayed)
    line.add("misrouted", misrouted)
    line.add("refused", refused)
    fleet.disconnectAll()
    return line
  }

  func requester(
    _ requester: RESTClient, answered response: HTTPResponseParser.Response, tag: Int
  ) {
    if response.status != 200 { refused += 1 }
    answers += 1
  }

  func requesterFailed(_ requester: RESTClient, tag: Int?) {
    refused += 1
    answers += 1
  }

  private func received(by client: SocketIOClient, _ packet: UnsafeBufferPointer<UInt8>) {
    guard PacketScanner.isEvent(packet, named: Self.eventName) else { return }
    let pair = client.index / 2
    guard client.index % 2 == 1,
      PacketScanner.integer(after: Self.roomKey, in: packet) == pair,
      nextReceive[pair] < sentAt[pair].count
    else {
      misrouted += 1
      return
    }
    latency.record(MonotonicClock.now() - sentAt[pair][nextReceive[pair]])
    nextReceive[pair] += 1
    relayed += 1
  }
}

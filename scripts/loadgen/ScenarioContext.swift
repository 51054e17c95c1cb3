import CLoadSystem
import Glibc

/// What every scenario shares: the options, the loop, the server's probe, the users and
/// the address, plus the fields every result line starts with.
struct ScenarioContext {
  let options: LoadOptions
  let loop: LoadLoop
  let probe: ProcessProbe
  let users: UserDirectory
  let address: sockaddr_in
  /// Where REST requesters connect: `address`, or `--rest-port` on the same host.
  let restAddress: sockaddr_in
  /// `host:port`, for `Host` headers.
  let hostHeader: String

  /// The context for `options`; nil when the host is not an IPv4 address.
  init?(options: LoadOptions) {
    guard let address = StreamSocket.address(host: options.host, port: options.port) else {
      return nil
    }
    self.options = options
    self.address = address
    let restPort = options.restPort == 0 ? options.port : options.restPort
    guard let restAddress = StreamSocket.address(host: options.host, port: restPort) else {
      return nil
    }
    self.restAddress = restAddress
    hostHeader = "\(options.host):\(options.port)"
    loop = LoadLoop(seed: options.seed)
    probe = ProcessProbe(pid: options.pid)
    var random = SplitMix64(seed: options.seed &+ UInt64(UInt32(truncatingIfNeeded: time(nil))))
    users = UserDirectory(secret: options.secret, salt: UInt32(truncatingIfNeeded: random.next()))
  }

  /// A new fleet of clients for this run's users.
  func makeFleet() -> ClientFleet {
    ClientFleet(loop: loop, address: address, hostHeader: hostHeader, users: users)
  }

  /// A fleet of `options.connections` joined clients whose packets go to `onPacket`, with
  /// the handshake counts already added to `line`.
  func connectFleet(
    into line: inout ResultLine,
    onPacket: @escaping (SocketIOClient, UnsafeBufferPointer<UInt8>) -> Void
  ) -> ClientFleet {
    let fleet = makeFleet()
    fleet.onPacket = onPacket
    fleet.connect(
      count: options.connections, concurrency: options.concurrency, deadline: phaseDeadline)
    reportHandshakes(of: fleet, into: &line)
    return fleet
  }

  /// The monotonic moment `options.timeoutSeconds` from now.
  var phaseDeadline: Int64 {
    MonotonicClock.now() + Int64(options.timeoutSeconds * 1e9)
  }

  /// A result line with the scenario, the server's label and its resident memory now.
  func startLine() -> ResultLine {
    var line = ResultLine()
    line.add("scenario", options.scenario)
    line.add("server", options.label)
    return line
  }

  /// A whole REST request: `POST <path>` (or `method`) with the API key and a JSON body.
  func restRequest(path: String, body: [UInt8], method: String = "POST") -> [UInt8] {
    var request = Array(
      ("\(method) \(path) HTTP/1.1\r\nHost: \(hostHeader)\r\nAuthorization: Bearer \(options.apiKey)\r\n"
        + "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n").utf8)
    request.append(contentsOf: body)
    return request
  }

  /// Adds the fleet's handshake figures to `line`.
  func reportHandshakes(of fleet: ClientFleet, into line: inout ResultLine) {
    line.add("joined", fleet.joined)
    line.add("handshake_failures", fleet.failedHandshakes)
    line.add("auth_rejected", fleet.rejected)
    fleet.handshakes.report("handshake", into: &line)
  }
}

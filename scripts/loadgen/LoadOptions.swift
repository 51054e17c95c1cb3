/// The generator's command line: `loadgen <scenario> [--flag value]…`.
struct LoadOptions {
  /// A bad command line, with the message to print.
  struct Invalid: Error {
    var message: String
  }

  /// `connect`, `push`, `fanout`, `echo`, `churn` or `typing`.
  var scenario = ""
  /// Name of the server under test, copied into the result line.
  var label = "server"
  var host = "127.0.0.1"
  var port = 3000
  /// REST requests go to this port instead of `port` (0: the same port), e.g. another node.
  var restPort = 0
  /// The server's process id, for CPU, RSS and descriptor readings (0: none).
  var pid: Int32 = 0
  /// HS256 secret shared with the server.
  var secret = ""
  /// A static REST API key.
  var apiKey = ""
  /// Socket.IO clients (users, one socket each).
  var connections = 1000
  /// Handshakes in flight at once.
  var concurrency = 100
  /// `push`: REST sends in the peak phase; `echo`: round trips.
  var requests = 20000
  /// `push`: keep-alive REST connections.
  var requesters = 8
  /// `fanout`: `send-many` rounds to every user.
  var rounds = 10
  /// `fanout`: send to this room (its members set first) instead of `send-many`.
  var room: String?
  /// `typing`: typing events per second, all senders together.
  var rate = 5000.0
  /// `churn`: connect/disconnect cycles.
  var cycles = 5000
  /// `push`: length of the phase paced at half the peak rate.
  var pacedSeconds = 3.0
  /// `connect`: how long the connections are held (answering pings) before RSS is read.
  var holdSeconds = 2.0
  /// Upper bound on any one phase.
  var timeoutSeconds = 120.0
  /// Seed of the generator's random choices.
  var seed: UInt64 = 1
  /// Every connection (Socket.IO and REST) over TLS, the certificate not verified.
  var tls = false

  static let usage = """
    usage: loadgen <connect|push|fanout|echo|churn|typing> --pid PID --secret S --api-key K
      [--label NAME] [--host 127.0.0.1] [--port 3000] [--rest-port P] [--connections N] [--concurrency P]
      [--requests M] [--requesters C] [--rounds K] [--room R] [--rate E] [--cycles Y] [--paced-seconds S]
      [--hold-seconds S] [--timeout-seconds S] [--seed X] [--tls]
    Prints one JSON line of results. The secret and key default to GATEWAY_JWT_SECRET and
    the first of GATEWAY_API_KEYS.
    """

  /// Parses `arguments` (without the program name), with `environment` for defaults.
  static func parse(_ arguments: [String], environment: [String: String]) throws(Invalid)
    -> LoadOptions
  {
    var options = LoadOptions()
    options.secret = environment["GATEWAY_JWT_SECRET"] ?? ""
    options.apiKey = String(
      (environment["GATEWAY_API_KEYS"] ?? "").split(separator: ",").first ?? "")
    var remaining = arguments[...]
    guard let scenario = remaining.popFirst(), !scenario.hasPrefix("-") else {
      throw Invalid(message: usage)
    }
    options.scenario = scenario
    while let flag = remaining.popFirst() {
      if flag == "--tls" {
        options.tls = true
        continue
      }
      guard let value = remaining.popFirst() else {
        throw Invalid(message: "\(flag) needs a value")
      }
      try options.set(flag, value)
    }
    guard ["connect", "push", "fanout", "echo", "churn", "typing"].contains(options.scenario) else {
      throw Invalid(message: "unknown scenario \(options.scenario)\n\(usage)")
    }
    guard !options.secret.isEmpty else { throw Invalid(message: "--secret is required") }
    return options
  }

  private mutating func set(_ flag: String, _ value: String) throws(Invalid) {
    func integer() throws(Invalid) -> Int {
      guard let number = Int(value), number >= 0 else {
        throw Invalid(message: "\(flag) must be a non-negative integer, got \(value)")
      }
      return number
    }
    func seconds() throws(Invalid) -> Double {
      guard let number = Double(value), number >= 0 else {
        throw Invalid(message: "\(flag) must be a non-negative number, got \(value)")
      }
      return number
    }
    switch flag {
    case "--label": label = value
    case "--host": host = value
    case "--port": port = try integer()
    case "--rest-port": restPort = try integer()
    case "--pid": pid = Int32(try integer())
    case "--secret": secret = value
    case "--api-key": apiKey = value
    case "--connections": connections = max(1, try integer())
    case "--concurrency": concurrency = max(1, try integer())
    case "--requests": requests = max(1, try integer())
    case "--requesters": requesters = max(1, try integer())
    case "--rounds": rounds = max(1, try integer())
    case "--room": room = value
    case "--rate": rate = Double(max(1, try integer()))
    case "--cycles": cycles = max(1, try integer())
    case "--paced-seconds": pacedSeconds = try seconds()
    case "--hold-seconds": holdSeconds = try seconds()
    case "--timeout-seconds": timeoutSeconds = try seconds()
    case "--seed": seed = UInt64(try integer())
    default: throw Invalid(message: "unknown flag \(flag)\n\(LoadOptions.usage)")
    }
  }
}

import Auth
import Glibc
import Synchronization
import Protocol

@testable import Server

/// The real gateway, in process, on 127.0.0.1 and a free port, with its own event loop.
final class TestServer: Sendable {
  static let secret = "server-tests-secret"
  static let apiKey = "server-tests-api-key"

  let context: GatewayContext
  let port: Int
  /// The node's own port when cluster nodes share `port` (`InternalListener`); else nil.
  let internalPort: Int?
  private let stopper: AsyncStream<Int32>.Continuation
  private let task: Task<Void, Never>
  let logLines: LogCapture

  private init(
    context: GatewayContext, port: Int, internalPort: Int?,
    stopper: AsyncStream<Int32>.Continuation, task: Task<Void, Never>, logLines: LogCapture
  ) {
    self.context = context
    self.port = port
    self.internalPort = internalPort
    self.stopper = stopper
    self.task = task
    self.logLines = logLines
  }

  /// Starts a server; `configure` adjusts the test defaults; `nodeDirectory` is handed to
  /// the context (cluster-mode forwarding).
  static func start(
    nodeDirectory: (any NodeDirectory)? = nil, _ configure: (inout GatewayConfig) -> Void = { _ in }
  ) async throws -> TestServer {
    var config = GatewayConfig()
    config.host = "127.0.0.1"
    config.port = 0
    config.jwtSecret = secret
    config.apiKeys = [apiKey]
    config.maxConnections = 512
    config.store = .memory
    configure(&config)
    let capture = LogCapture()
    let logger = Logger(level: .debug, format: .text) { line in capture.append(line) }
    let verifier = try KeyLoader.verifier(for: config)
    let loop = try EventLoop()
    loop.start()
    let listener = try Listener(
      host: config.host, port: config.port, loop: loop, reusePort: config.reusePort)
    let internalListener = try InternalListener.open(config: config, loop: loop)
    // Cluster mode on a Redis store: the store and the node, as `main` builds them. Tests
    // that only need cluster settings (forwarding) keep their in-memory store and no Redis.
    var cluster: ClusterStart.Started?
    if let settings = config.cluster, case .redis = config.store {
      cluster = try await ClusterStart.start(
        settings, config: config, loop: loop, logger: logger,
        listenAddress: "127.0.0.1:\(internalListener?.port ?? listener.port)")
    }
    let store: any MessageStore = try cluster?.store ?? config.store.open(config)
    let context = GatewayContext(
      config: config, logger: logger, verifier: verifier, store: store,
      cluster: cluster?.node, nodeDirectory: nodeDirectory ?? cluster?.node)
    try await context.rooms.load()
    let (signals, stopper) = AsyncStream.makeStream(of: Int32.self)
    let task = Task {
      await withDiscardingTaskGroup { group in
        if let redisStore = cluster?.store { group.addTask { await redisStore.run() } }
        await GatewayServer(context: context).run(
          listener: listener, internalListener: internalListener, loop: loop, signals: signals)
        cluster?.store.close()  // ends its `run()`; `stop()` closes a SQLite store
      }
      await loop.stop()
    }
    return TestServer(
      context: context, port: listener.port, internalPort: internalListener?.port,
      stopper: stopper, task: task, logLines: capture)
  }

  /// Sends the drain signal and waits for the server to finish.
  func stop() async {
    stopper.yield(SIGTERM)
    await task.value
    context.delivery.store.close()
  }

  /// An HS256 token signed with the test secret.
  static func token(_ claims: String) -> String {
    JWTSigner(secret: Array(secret.utf8)).sign(claimsJSON: claims)
  }

  /// A user token for `userID`, valid for an hour.
  static func userToken(_ userID: String) -> String {
    let now = Int(Clock.unixSeconds())
    return token(#"{"sub":"\#(userID)","exp":\#(now + 3600)}"#)
  }

  /// An admin token (roles: admin).
  static func adminToken() -> String {
    let now = Int(Clock.unixSeconds())
    return token(#"{"sub":"ops","roles":["admin"],"exp":\#(now + 3600)}"#)
  }

  /// Waits (polling, bounded) until `condition` holds; false if it never did.
  static func eventually(
    tries: Int = 300, _ condition: @Sendable () async -> Bool
  ) async -> Bool {
    for _ in 0..<tries {
      if await condition() { return true }
      try? await Task.sleep(for: .milliseconds(10))
    }
    return false
  }
}

/// Log lines captured in memory.
final class LogCapture: Sendable {
  private let lines = Mutex<[String]>([])

  func append(_ line: String) { lines.withLock { $0.append(line) } }

  var all: [String] { lines.withLock { $0 } }
}

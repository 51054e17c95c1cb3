import Synchronization

@testable import Server

/// A real `NodeDirectory` kept in memory: node ids to the `host:port` of in-process test
/// servers, changed by the test (a node "dies" when its entry is removed).
final class TestNodeDirectory: NodeDirectory {
  private let addresses = Mutex<[String: String]>([:])
  private let lookups = Atomic<Int>(0)

  func address(ofNode id: String) async -> String? {
    lookups.add(1, ordering: .relaxed)
    return addresses.withLock { $0[id] }
  }

  /// Sets (or, with nil, removes) a node's address.
  func set(_ id: String, _ address: String?) {
    addresses.withLock { $0[id] = address }
  }

  /// How many lookups were made.
  var lookupCount: Int { lookups.load(ordering: .relaxed) }
}

/// Two (or more) in-process gateways in cluster mode, sharing a secret and a directory.
struct TestCluster {
  static let secret = "forwarding-tests-cluster-secret"

  let directory = TestNodeDirectory()
  private(set) var servers: [String: TestServer] = [:]

  /// Starts one server per node id, each listed in the directory; `configure` adjusts each
  /// node's settings.
  static func start(
    _ nodeIDs: [String] = ["a", "b"], _ configure: (inout GatewayConfig) -> Void = { _ in }
  ) async throws -> TestCluster {
    var cluster = TestCluster()
    for id in nodeIDs {
      let server = try await TestServer.start(nodeDirectory: cluster.directory) { config in
        var settings = ClusterSettings(redis: RedisURL(host: "127.0.0.1"))
        settings.secret = secret
        settings.nodeID = id
        config.cluster = settings
        configure(&config)
      }
      cluster.servers[id] = server
      cluster.directory.set(id, "127.0.0.1:\(server.port)")
    }
    return cluster
  }

  /// Starts one server per node id, all bound to one port with `GATEWAY_REUSE_PORT`, each
  /// listed in the directory at its own internal port.
  static func startSharingAPort(_ nodeIDs: [String] = ["a", "b"]) async throws -> TestCluster {
    var cluster = TestCluster()
    var sharedPort = 0
    for id in nodeIDs {
      let server = try await TestServer.start(nodeDirectory: cluster.directory) { config in
        var settings = ClusterSettings(redis: RedisURL(host: "127.0.0.1"))
        settings.secret = secret
        settings.nodeID = id
        config.cluster = settings
        config.reusePort = true
        config.port = sharedPort
      }
      sharedPort = server.port
      guard let internalPort = server.internalPort else {
        throw TestSocket.Failure(description: "node \(id) has no internal port")
      }
      cluster.servers[id] = server
      cluster.directory.set(id, "127.0.0.1:\(internalPort)")
    }
    return cluster
  }

  subscript(id: String) -> TestServer {
    guard let server = servers[id] else { fatalError("no test node \(id)") }
    return server
  }

  func stop() async {
    for server in servers.values { await server.stop() }
  }
}

/// The Engine.IO/Socket.IO exchanges the forwarding tests make, over one `TestHTTPClient`.
enum PollingSteps {
  static let userID = "507f1f77bcf86cd799439011"

  /// Opens a polling session; returns its sid.
  static func handshake(_ http: inout TestHTTPClient, headers: [(String, String)] = [])
    async throws -> String
  {
    let response = try await http.request(
      "GET", "/socket.io/?EIO=4&transport=polling", headers: headers)
    guard response.status == 200, response.text.hasPrefix(#"0{"sid":""#) else {
      throw TestSocket.Failure(description: "handshake failed: \(response.status) \(response.text)")
    }
    return String(response.text.dropFirst(9).prefix { $0 != "\"" })
  }

  /// The polling target for `sid`.
  static func target(_ sid: String) -> String {
    "/socket.io/?EIO=4&transport=polling&sid=\(sid)"
  }

  /// Sends the Socket.IO CONNECT with a valid token and reads the greeting poll; returns the
  /// greeting's packets.
  static func connect(_ http: inout TestHTTPClient, sid: String) async throws -> [String] {
    let token = TestServer.userToken(userID)
    let post = try await http.request(
      "POST", target(sid), headers: [("Content-Type", "text/plain;charset=UTF-8")],
      body: #"40{"token":"\#(token)"}"#)
    guard post.status == 200, post.text == "ok" else {
      throw TestSocket.Failure(description: "CONNECT post failed: \(post.status) \(post.text)")
    }
    return try await poll(&http, sid: sid)
  }

  /// One GET; its packets.
  static func poll(_ http: inout TestHTTPClient, sid: String) async throws -> [String] {
    let response = try await http.request("GET", target(sid))
    guard response.status == 200 else {
      throw TestSocket.Failure(description: "poll failed: \(response.status) \(response.text)")
    }
    return response.text.split(separator: "\u{1E}").map(String.init)
  }

  /// Sends a `message` event with an ack id and reads the server's answer packets.
  static func eventRoundTrip(_ http: inout TestHTTPClient, sid: String, text: String)
    async throws -> [String]
  {
    let post = try await http.request(
      "POST", target(sid), body: #"4212["message",{"message":"\#(text)"}]"#)
    guard post.status == 200 else {
      throw TestSocket.Failure(description: "event post failed: \(post.status) \(post.text)")
    }
    return try await poll(&http, sid: sid)
  }
}

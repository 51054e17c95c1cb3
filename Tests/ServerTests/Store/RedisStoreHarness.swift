import Protocol
import Synchronization

@testable import Server

/// A real `redis-server`, an event loop, and Redis stores ("nodes") on it, with their
/// clients' and writers' tasks running; `finish()` closes everything in order.
final class RedisStoreHarness: Sendable {
  let server: TestRedisServer
  let loop: EventLoop
  private let tasks = Mutex<[Task<Void, Never>]>([])
  private let clients = Mutex<[RedisClient]>([])
  private let stores = Mutex<[RedisMessageStore]>([])
  private let connections = Mutex<[RedisConnection]>([])

  init(server: TestRedisServer? = nil) async throws {
    if let server {
      self.server = server
    } else {
      self.server = try await TestRedisServer()
    }
    loop = try EventLoop()
    loop.start()
  }

  static func settings(
    node: String = "n1", maxPerUser: Int = 1000, ttl: Int = 86_400, webhooks: Bool = false
  ) -> RedisMessageStore.Settings {
    var settings = RedisMessageStore.Settings(
      nodeID: node, recoverySecret: Array("0123456789abcdef0123456789abcdef".utf8))
    settings.maxPerUser = maxPerUser
    settings.historyTTLSeconds = ttl
    settings.webhooks = webhooks
    return settings
  }

  /// A connected client whose `run()` keeps it.
  func client(role: String = "commands") async throws -> RedisClient {
    let client = RedisClient(url: server.url(), loop: loop, logger: .disabled, role: role)
    try await client.connect()
    clients.withLock { $0.append(client) }
    let task = Task { await client.run() }
    tasks.withLock { $0.append(task) }
    return client
  }

  /// A store on its own client, its writer running.
  func store(_ settings: RedisMessageStore.Settings = settings()) async throws
    -> RedisMessageStore
  {
    let store = RedisMessageStore(client: try await client(), settings: settings)
    stores.withLock { $0.append(store) }
    let task = Task { await store.run() }
    tasks.withLock { $0.append(task) }
    return store
  }

  /// A plain connection of the test's own, read loop running.
  func connection() async throws -> RedisConnection {
    let connection = try await RedisConnection.connect(to: server.url(), loop: loop)
    connections.withLock { $0.append(connection) }
    let task = Task { await connection.run() }
    tasks.withLock { $0.append(task) }
    return connection
  }

  /// Closes the stores, then the clients, waits for their tasks, stops the loop and Redis.
  func finish() async {
    for store in stores.withLock({ $0 }) { store.close() }
    for client in clients.withLock({ $0 }) { client.close() }
    for connection in connections.withLock({ $0 }) { connection.close() }
    for task in tasks.withLock({ $0 }) { await task.value }
    await loop.stop()
    server.stop()
  }
}

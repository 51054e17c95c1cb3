import Protocol
import Testing

@testable import Server

@Suite(
  .enabled(
    if: TestRedisServer.isInstalled,
    "redis-server is not installed at /usr/bin/redis-server (scripts/setup installs it)"))
struct UserRoutesTests {
  let keys = ClusterKeys(prefix: "t:")

  @Test func writesCountsInOrderAndWaitsForThem() async throws {
    let redis = try await TestRedisServer()
    defer { redis.stop() }
    try await RedisClientTests.withClient(redis.url()) { client in
      let routes = UserRoutes()
      let registry = RegistryActor()
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
          await routes.run(client: client, keys: keys, nodeID: "n1", registry: registry)
        }
        routes.changed("alice", sockets: 1)
        routes.changed("bob", sockets: 2)
        routes.changed("alice", sockets: 3)
        await routes.written()
        #expect(try await hash(client, keys.userNodes("alice")) == ["n1": "3"])
        #expect(try await hash(client, keys.nodeUsers("n1")) == ["alice": "3", "bob": "2"])
        routes.changed("bob", sockets: 0)
        await routes.written()
        #expect(try await hash(client, keys.userNodes("bob")) == [:])
        #expect(try await hash(client, keys.nodeUsers("n1")) == ["alice": "3"])
        routes.finish()
        try await group.waitForAll()
      }
    }
  }

  @Test func doesNotWaitWhileRedisIsAway() async throws {
    let redis = try await TestRedisServer()
    try await RedisClientTests.withClient(redis.url()) { client in
      let routes = UserRoutes()
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
          await routes.run(client: client, keys: keys, nodeID: "n1", registry: RegistryActor())
        }
        redis.stop()
        routes.changed("alice", sockets: 1)
        await routes.written()  // returns: the write failed, the reconnect rewrites
        routes.finish()
        try await group.waitForAll()
      }
    }
  }

  private func hash(_ client: RedisClient, _ key: String) async throws -> [String: String] {
    let reply = try await client.send([["HGETALL", key]])
    var result: [String: String] = [:]
    for (field, value) in ClusterNode.pairs(reply[0]) ?? [] { result[field] = value }
    return result
  }
}

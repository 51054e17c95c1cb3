import Protocol
import Synchronization
import Testing

@testable import Server

@Suite(
  .enabled(
    if: TestRedisServer.isInstalled,
    "redis-server is not installed at /usr/bin/redis-server (scripts/setup installs it)"))
struct RedisClientTests {
  @Test func sendsAndRunsScriptsLoadingThemWhenRedisForgot() async throws {
    let redis = try await TestRedisServer()
    defer { redis.stop() }
    try await Self.withClient(redis.url()) { client in
      let script = RedisScript("return ARGV[1] .. KEYS[1]")
      let first = try await client.evaluate(script, keys: [Array("k".utf8)], arguments: [[0x61]])
      #expect(first.string == "ak")
      _ = try await client.send([["SCRIPT", "FLUSH"]])
      let again = try await client.evaluate(script, keys: [Array("z".utf8)], arguments: [[0x62]])
      #expect(again.string == "bz")
      let refused = try await client.evaluate(
        RedisScript("return redis.error_reply('no')"), keys: [], arguments: [])
      #expect(refused.errorMessage?.hasSuffix("no") == true)
    }
  }

  @Test func failsAtOnceWhileRedisIsAwayAndComesBackByItself() async throws {
    let redis = try await TestRedisServer()
    let port = redis.port
    let reconnected = AsyncStream.makeStream(of: Void.self)
    try await Self.withClient(redis.url()) { client in
      client.onReconnect { reconnected.continuation.yield() }
      _ = try await client.send([["SET", "k", "v"]])
      redis.stop()
      // Sends fail (the loss may take a moment to be seen), never hang.
      var failed = false
      for _ in 0..<200 where !failed {
        do {
          _ = try await client.send([["PING"]])
          try await Task.sleep(for: .milliseconds(10))
        } catch {
          failed = true
        }
      }
      #expect(failed)
      #expect(await TestServer.eventually { !client.isConnected })
      let restarted = try await TestRedisServer(port: port)
      defer { restarted.stop() }
      var events = reconnected.stream.makeAsyncIterator()
      _ = await events.next()
      let reply = try await client.send([["PING"]])
      #expect(reply.first?.string == "PONG")
    }
  }

  @Test func startFailsInOneLineWhenNothingListens() async throws {
    let loop = try EventLoop()
    loop.start()
    try await TestRedisServer.withRefusingPort { port in
      let client = RedisClient(
        url: RedisURL(host: "127.0.0.1", port: port), loop: loop, logger: Logger.disabled,
        role: "test")
      do {
        try await client.connect()
        Issue.record("connected to nothing")
      } catch let error as RedisError {
        #expect(error.description.contains("127.0.0.1:\(port)"))
        #expect(!error.description.contains("\n"))
      } catch {
        Issue.record("not a Redis error: \(error)")
      }
      client.close()
    }
    await loop.stop()
  }

  /// A connected client running beside `body`.
  static func withClient(_ url: RedisURL, _ body: (RedisClient) async throws -> Void)
    async throws
  {
    let loop = try EventLoop()
    loop.start()
    let client = RedisClient(url: url, loop: loop, logger: Logger.disabled, role: "test")
    try await client.connect()
    await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { await client.run() }
      do {
        try await body(client)
      } catch {
        Issue.record(error)
      }
      client.close()
    }
    await loop.stop()
  }
}

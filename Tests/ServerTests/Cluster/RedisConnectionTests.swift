import Protocol
import Testing

@testable import Server

@Suite(
  .enabled(
    if: TestRedisServer.isInstalled,
    "redis-server is not installed at /usr/bin/redis-server (scripts/setup installs it)"))
struct RedisConnectionTests {
  /// Connects to `url`, runs the read loop beside `body`, then closes and waits for it.
  static func withConnection(
    _ url: RedisURL, _ body: (RedisConnection) async throws -> Void
  ) async throws {
    let loop = try EventLoop()
    loop.start()
    do {
      let connection = try await RedisConnection.connect(to: url, loop: loop)
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await connection.run() }
        do {
          try await body(connection)
        } catch {
          connection.close()
          throw error
        }
        connection.close()
        try await group.waitForAll()
      }
    } catch {
      await loop.stop()
      throw error
    }
    await loop.stop()
  }

  /// The error `connect` throws for `url`, or nil when it connected.
  static func connectError(_ url: RedisURL) async throws -> RedisError? {
    let loop = try EventLoop()
    loop.start()
    var failure: RedisError?
    do {
      let connection = try await RedisConnection.connect(to: url, loop: loop)
      connection.close()
      await connection.run()
    } catch {
      failure = error
    }
    await loop.stop()
    return failure
  }

  @Test func connectionAnswersPingOverRESP3() async throws {
    let server = try await TestRedisServer()
    defer { server.stop() }
    try await Self.withConnection(server.url()) { connection in
      #expect(connection.protocolVersion == 3)
      let replies = try await connection.send([["PING"]])
      #expect(replies == [.simpleString("PONG")])
    }
  }

  @Test func connectionSetsAndGetsBinaryValuesExactly() async throws {
    let server = try await TestRedisServer()
    defer { server.stop() }
    let value = (0..<1024).map { UInt8(truncatingIfNeeded: $0 &* 7) } + [0x0D, 0x0A, 0x00]
    try await Self.withConnection(server.url()) { connection in
      let replies = try await connection.send([
        [Array("SET".utf8), [0xFF, 0x00, 0x6B], value], [Array("GET".utf8), [0xFF, 0x00, 0x6B]],
        [Array("GET".utf8), Array("missing".utf8)],
      ])
      #expect(replies == [.simpleString("OK"), .bulkString(value), .null])
    }
  }

  @Test func connectionPipelinesAThousandCommandsInOrder() async throws {
    let server = try await TestRedisServer()
    defer { server.stop() }
    try await Self.withConnection(server.url()) { connection in
      let commands = (0..<1000).map { ["ECHO", "reply-\($0)"] }
      let replies = try await connection.send(commands)
      #expect(replies == (0..<1000).map { .bulkString(Array("reply-\($0)".utf8)) })
    }
  }

  @Test func concurrentBatchesEachGetTheirOwnReplies() async throws {
    let server = try await TestRedisServer()
    defer { server.stop() }
    try await Self.withConnection(server.url()) { connection in
      try await withThrowingTaskGroup(of: Bool.self) { group in
        for batch in 0..<20 {
          group.addTask {
            let commands = (0..<50).map { ["ECHO", "\(batch)-\($0)"] }
            let replies = try await connection.send(commands)
            return replies == (0..<50).map { .bulkString(Array("\(batch)-\($0)".utf8)) }
          }
        }
        for try await matched in group { #expect(matched) }
      }
    }
  }

  @Test func commandErrorComesBackInItsPlace() async throws {
    let server = try await TestRedisServer()
    defer { server.stop() }
    try await Self.withConnection(server.url()) { connection in
      let replies = try await connection.send([["SET", "s", "x"], ["INCR", "s"], ["GET", "s"]])
      #expect(replies.count == 3)
      #expect(replies[1].errorMessage?.hasPrefix("ERR value is not an integer") == true)
      #expect(replies[2] == .bulkString(Array("x".utf8)))
    }
  }

  @Test func connectionSelectsTheURLsDatabase() async throws {
    let server = try await TestRedisServer()
    defer { server.stop() }
    try await Self.withConnection(server.url(database: 3)) { connection in
      let replies = try await connection.send([["SET", "k", "in-3"]])
      #expect(replies == [.simpleString("OK")])
    }
    try await Self.withConnection(server.url()) { connection in
      let replies = try await connection.send([["GET", "k"]])
      #expect(replies == [.null])
    }
  }

  @Test func connectionLogsInWithThePassword() async throws {
    let server = try await TestRedisServer(arguments: ["--requirepass", "s3cret"])
    defer { server.stop() }
    try await Self.withConnection(server.url(password: "s3cret")) { connection in
      let replies = try await connection.send([["PING"]])
      #expect(replies == [.simpleString("PONG")])
    }
  }

  @Test func wrongPasswordGivesAClearAuthenticationError() async throws {
    let server = try await TestRedisServer(arguments: ["--requirepass", "s3cret"])
    defer { server.stop() }
    let error = try await Self.connectError(server.url(password: "not-the-password"))
    guard case .authenticationFailed(let message) = error else {
      Issue.record("expected an authentication failure, got \(String(describing: error))")
      return
    }
    #expect(message.hasPrefix("Redis at 127.0.0.1:\(server.port) refused the login: WRONGPASS"))
    #expect(!message.contains("not-the-password"))
  }

  @Test func missingPasswordGivesAClearAuthenticationError() async throws {
    let server = try await TestRedisServer(arguments: ["--requirepass", "s3cret"])
    defer { server.stop() }
    let error = try await Self.connectError(server.url())
    guard case .authenticationFailed(let message) = error else {
      Issue.record("expected an authentication failure, got \(String(describing: error))")
      return
    }
    #expect(message.contains("NOAUTH"))
  }

  @Test func serverWithoutHelloFallsBackToRESP2AndAuth() async throws {
    let server = try await TestRedisServer(arguments: [
      "--requirepass", "s3cret", "--rename-command", "HELLO", "",
    ])
    defer { server.stop() }
    try await Self.withConnection(server.url(password: "s3cret")) { connection in
      #expect(connection.protocolVersion == 2)
      let replies = try await connection.send([["PING"]])
      #expect(replies == [.simpleString("PONG")])
    }
    let error = try await Self.connectError(server.url(password: "wrong"))
    guard case .authenticationFailed = error else {
      Issue.record("expected an authentication failure, got \(String(describing: error))")
      return
    }
  }

  @Test func refusedPortGivesConnectFailed() async throws {
    let error = try await TestRedisServer.withRefusingPort { port in
      try await Self.connectError(RedisURL(host: "127.0.0.1", port: port))
    }
    guard case .connectFailed(let message) = error else {
      Issue.record("expected a connect failure, got \(String(describing: error))")
      return
    }
    #expect(message.contains("Connection refused"))
  }

  @Test func redisGoingAwayFailsSendsWithATypedError() async throws {
    let server = try await TestRedisServer()
    defer { server.stop() }
    try await Self.withConnection(server.url()) { connection in
      let replies = try await connection.send([["PING"]])
      #expect(replies == [.simpleString("PONG")])
      server.kill()
      // The first send after the kill may be written before the reset is seen; either way
      // it and every later one end with connectionLost, never a hang or a crash.
      for _ in 0..<2 {
        do {
          let replies = try await connection.send([["PING"]])
          Issue.record("a dead server answered \(replies)")
        } catch {
          guard case .connectionLost = error as? RedisError else {
            Issue.record("expected connectionLost, got \(error)")
            return
          }
        }
      }
    }
  }
}

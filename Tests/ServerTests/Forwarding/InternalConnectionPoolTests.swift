import Protocol
import Testing

@testable import Server

@Suite struct InternalConnectionPoolTests {
  /// An event loop and a running sweeper for a pool under test.
  private struct Harness {
    let loop: EventLoop
    let sweeper = DeadlineSweeper(granularity: 5_000_000)
    let sweeping: Task<Void, Never>

    init() throws {
      loop = try EventLoop()
      loop.start()
      let sweeper = self.sweeper
      sweeping = Task { await sweeper.run() }
    }

    func stop() async {
      sweeper.stop()
      await sweeping.value
      await loop.stop()
    }
  }

  private static let health = Array("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".utf8)

  @Test func aConnectionThatCameBackCarriesTheNextRequest() async throws {
    let server = try await TestServer.start()
    let harness = try Harness()
    let pool = InternalConnectionPool(
      loop: harness.loop, sweeper: harness.sweeper, outboundLimit: 1 << 20)
    let address = "127.0.0.1:\(server.port)"
    for round in 0..<3 {
      var (connection, reused) = try await pool.checkout(address)
      #expect(reused == (round > 0))
      let response = try await connection.exchange(Self.health, timeout: .seconds(5))
      #expect(response.head.status == 200)
      #expect(response.body == Array(#"{"status":"ok"}"#.utf8))
      pool.checkin(connection)
      #expect(pool.openCount(address) == 1)
    }
    pool.close()
    #expect(pool.openCount(address) == 0)
    await harness.stop()
    await server.stop()
  }

  @Test func connectionsInUseAtOnceAreSeparateAndCapped() async throws {
    let server = try await TestServer.start()
    let harness = try Harness()
    let pool = InternalConnectionPool(
      loop: harness.loop, sweeper: harness.sweeper, maxPerNode: 2, outboundLimit: 1 << 20)
    let address = "127.0.0.1:\(server.port)"
    let (first, _) = try await pool.checkout(address)
    let (second, reused) = try await pool.checkout(address)
    #expect(!reused)
    #expect(first.channel !== second.channel)
    #expect(pool.openCount(address) == 2)
    await #expect(throws: InternalConnection.Failure.self) {
      _ = try await pool.checkout(address)
    }
    pool.checkin(first)
    let (third, again) = try await pool.checkout(address)
    #expect(again)
    #expect(third.channel === first.channel)
    pool.discard(second)
    pool.discard(third)
    #expect(pool.openCount(address) == 0)
    await harness.stop()
    await server.stop()
  }

  @Test func idleConnectionsAreClosedAfterTheExpiry() async throws {
    let server = try await TestServer.start()
    let harness = try Harness()
    let pool = InternalConnectionPool(
      loop: harness.loop, sweeper: harness.sweeper, idleExpiry: .milliseconds(50),
      outboundLimit: 1 << 20)
    let address = "127.0.0.1:\(server.port)"
    let (first, _) = try await pool.checkout(address)
    let (second, _) = try await pool.checkout(address)
    pool.checkin(first)
    pool.checkin(second)
    #expect(pool.openCount(address) == 2)
    #expect(await TestServer.eventually { pool.openCount(address) == 0 })
    await harness.stop()
    await server.stop()
  }

  @Test func anIdleConnectionThePeerClosedIsReplacedByANewOne() async throws {
    // Long enough that the fresh connection's exchange below is not cut by the same limit
    // on a slow (sanitizer) run; short enough for the wait below (at least 3 s).
    let server = try await TestServer.start { $0.idleTimeoutMilliseconds = 1000 }
    let harness = try Harness()
    let pool = InternalConnectionPool(
      loop: harness.loop, sweeper: harness.sweeper, outboundLimit: 1 << 20)
    let address = "127.0.0.1:\(server.port)"
    var (connection, _) = try await pool.checkout(address)
    _ = try await connection.exchange(Self.health, timeout: .seconds(5))
    let closed = connection.channel
    pool.checkin(connection)
    // The server's idle limit closes it; the pool notices at the next checkout.
    // (`observeHangup` declines once the hang-up was seen.)
    #expect(await TestServer.eventually { !closed.observeHangup({}) })
    var (fresh, reused) = try await pool.checkout(address)
    #expect(!reused)
    #expect(fresh.channel !== closed)
    #expect(try await fresh.exchange(Self.health, timeout: .seconds(5)).head.status == 200)
    #expect(pool.openCount(address) == 1)
    pool.discard(fresh)
    await harness.stop()
    await server.stop()
  }

  @Test func aNodeThatRefusesConnectionsFailsTheCheckoutAndCountsNothing() async throws {
    let harness = try Harness()
    let pool = InternalConnectionPool(
      loop: harness.loop, sweeper: harness.sweeper, outboundLimit: 1 << 20)
    try await TestRedisServer.withRefusingPort { port in
      let address = "127.0.0.1:\(port)"
      await #expect(throws: InternalConnection.Failure.self) {
        _ = try await pool.checkout(address)
      }
      #expect(pool.openCount(address) == 0)
    }
    await harness.stop()
  }

  @Test func anAnswerThatDoesNotComeInTimeFailsTheExchange() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    let sid = try await PollingSteps.handshake(&http)
    let harness = try Harness()
    let pool = InternalConnectionPool(
      loop: harness.loop, sweeper: harness.sweeper, outboundLimit: 1 << 20)
    let address = "127.0.0.1:\(server.port)"
    var (connection, _) = try await pool.checkout(address)
    // A GET on a session with nothing to send is held for the ping interval (25 s).
    let poll = Array(
      "GET \(PollingSteps.target(sid)) HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
    let start = Clock.monotonicNanoseconds()
    await #expect(throws: InternalConnection.Failure.timedOut) {
      _ = try await connection.exchange(poll, timeout: .milliseconds(100))
    }
    #expect(Clock.monotonicNanoseconds() - start < 5_000_000_000)
    #expect(!connection.isReusable)
    pool.checkin(connection)
    #expect(pool.openCount(address) == 0)
    http.socket.close()
    await harness.stop()
    await server.stop()
  }
}

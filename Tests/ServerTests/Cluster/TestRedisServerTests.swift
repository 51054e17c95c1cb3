import Foundation
import Glibc
import Testing

@testable import Server

/// The test Redis harness itself: a start that cannot work says why (its log ends and the wait ends with it), and ports it
/// picks stay clear of the kernel's ephemeral range.
@Suite(
  .enabled(
    if: TestRedisServer.isInstalled,
    "redis-server is not installed at /usr/bin/redis-server (scripts/setup installs it)"))
struct TestRedisServerTests {
  @Test func aTakenPortFailsAtOnceWithRedisOwnReason() async throws {
    try await TestRedisServer.withRefusingPort { port in
      let error = await #expect(throws: StartFailure.self) {
        _ = try await TestRedisServer(port: port)
      }
      #expect(error?.log.contains("Address already in use") == true)
    }
  }

  @Test func picksPortsBelowTheEphemeralRange() throws {
    let range = try String(
      contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)
    let low = try #require(range.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) })
    for _ in 0..<20 where low > 10_001 {
      let port = try TestRedisServer.freePort()
      #expect(port >= 10_000 && port < low)
    }
  }
}

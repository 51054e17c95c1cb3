import Protocol
import Synchronization
import Testing

@testable import Server

@Suite(
  .enabled(
    if: TestRedisServer.isInstalled,
    "redis-server is not installed at /usr/bin/redis-server (scripts/setup installs it)"))
struct ClusterNodeLiveTests {
  /// Users spread over live nodes n2 and n3, one user on a dead node n4 and one on this
  /// node (n1): one message per live other node, carrying that node's users.
  @Test func publishesOneMessagePerLiveNode() async throws {
    let redis = try await TestRedisServer()
    defer { redis.stop() }
    let loop = try EventLoop()
    loop.start()
    let settings = ClusterSettings(redis: redis.url(), secret: "", nodeID: "n1", prefix: "t:")
    let client = RedisClient(url: redis.url(), loop: loop, logger: .disabled, role: "test")
    try await client.connect()
    let node = ClusterNode(
      settings: settings, client: client, publishCommand: "SPUBLISH", address: "127.0.0.1:1",
      loop: loop, logger: .disabled)
    let keys = node.keys
    let reader = Task { await client.run() }
    _ = try await client.send([
      ["SET", keys.node("n1"), "a"], ["SET", keys.node("n2"), "b"], ["SET", keys.node("n3"), "c"],
      ["HSET", keys.userNodes("u1"), "n2", "1"], ["HSET", keys.userNodes("u2"), "n3", "2"],
      ["HSET", keys.userNodes("u3"), "n2", "1", "n3", "1"],
      ["HSET", keys.userNodes("u4"), "n4", "1"], ["HSET", keys.userNodes("u5"), "n1", "1"],
    ])
    let subscriber = try await RedisConnection.connect(to: redis.url(), loop: loop)
    let frames = Mutex<[RESPValue]>([])
    subscriber.onPush { frame in frames.withLock { $0.append(frame) } }
    try subscriber.sendExpectingPushes([
      ["SSUBSCRIBE", keys.liveChannel("n2"), keys.liveChannel("n3"), keys.liveChannel("n4")]
    ])
    await withDiscardingTaskGroup { group in
      group.addTask { await subscriber.run() }
      // The three confirmations first.
      #expect(await TestServer.eventually { frames.withLock { $0.count } == 3 })
      let reached = await node.publishLive(
        event: "ev", argumentJSON: Array("{}".utf8), to: ["u1", "u2", "u3", "u4", "u5", "u6"])
      #expect(reached == [true, true, true, false, false, false])
      #expect(await TestServer.eventually { frames.withLock { $0.count } == 5 })
      var received: [String: [String]] = [:]
      for frame in frames.withLock({ Array($0.dropFirst(3)) }) {
        guard case .push(let parts) = frame, parts.count == 3, let channel = parts[1].string,
          let payload = parts[2].bytes, let event = LiveEnvelope.decode(payload)
        else {
          Issue.record("not a live envelope: \(frame)")
          continue
        }
        #expect(event.event == "ev")
        received[channel] = event.userIDs
      }
      #expect(
        received == [keys.liveChannel("n2"): ["u1", "u3"], keys.liveChannel("n3"): ["u2", "u3"]])
      subscriber.close()
    }
    client.close()
    await reader.value
    await loop.stop()
  }
}

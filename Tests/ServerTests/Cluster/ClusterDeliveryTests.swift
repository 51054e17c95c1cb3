import Protocol
import Testing

@testable import Server

/// Two in-process nodes on one real Redis: pushes cross nodes in offset order and once,
/// pub/sub losses are repaired from the store, REST answers cover both nodes, and a socket
/// recovers on the node it did not start on.
@Suite(
  .enabled(
    if: TestRedisServer.isInstalled,
    "redis-server is not installed at /usr/bin/redis-server (scripts/setup installs it)"))
struct ClusterDeliveryTests {
  static let secret = "cluster-tests-secret-0123456789abcdef"

  /// Two nodes, `a` and `b`, sharing `redis`.
  static func nodes(_ redis: TestRedisServer) async throws -> (TestServer, TestServer) {
    func node(_ id: String) async throws -> TestServer {
      try await TestServer.start { config in
        var settings = ClusterSettings(redis: redis.url(), secret: secret, nodeID: id)
        settings.nodeTTLMilliseconds = 3000
        config.cluster = settings
        config.store = .redis(redis.url())
      }
    }
    return (try await node("a"), try await node("b"))
  }

  static func push(_ port: Int, _ userID: String, _ message: String, persist: Bool = true)
    async throws -> JSONValue
  {
    var http = try await TestHTTPClient(port: port)
    let response = try await http.request(
      "POST", "/api/gateway/send",
      headers: [("Authorization", "Bearer \(TestServer.apiKey)")],
      body: #"{"userId":"\#(userID)","event":"note","message":\#(message),"persist":\#(persist)}"#)
    return try JSONParser.parse(response.text)
  }

  static func get(_ port: Int, _ path: String) async throws -> JSONValue {
    var http = try await TestHTTPClient(port: port)
    let response = try await http.request(
      "GET", path, headers: [("Authorization", "Bearer \(TestServer.apiKey)")])
    return try JSONParser.parse(response.text)
  }

  /// The message and offset of a persisted `note` frame.
  static func note(_ frame: String?) -> (message: Int, offset: LogOffset)? {
    guard let frame, frame.hasPrefix("42[\"note\""),
      let value = try? JSONParser.parse(String(frame.dropFirst(2))), let items = value.arrayValue,
      items.count == 3, case .number(let number) = items[1], let text = items[2].stringValue,
      let offset = LogOffset(parsing: text)
    else { return nil }
    return (Int(number), offset)
  }

  @Test func pushesFromEitherNodeArriveOnceAndInOrder() async throws {
    let redis = try await TestRedisServer()
    defer { redis.stop() }
    let (a, b) = try await Self.nodes(redis)
    var client = try await TestSocketIOClient.connected(port: a.port, userID: "u")
    for index in 1...20 {
      let answer = try await Self.push(index % 2 == 0 ? a.port : b.port, "u", "\(index)")
      #expect(answer["success"] == .bool(true), "\(answer)")
    }
    for index in 1...20 {
      let note = Self.note(await client.webSocket.nextText())
      #expect(note?.message == index)
      #expect(note?.offset.sequence == Int64(index))
    }
    // A live-only event from the other node reaches the socket too.
    let live = try await Self.push(b.port, "u", "99", persist: false)
    #expect(live["success"] == .bool(true))
    #expect(await client.webSocket.nextText() == #"42["note",99]"#)
    client.webSocket.close()
    await a.stop()
    await b.stop()
  }

  @Test func aDroppedSubscriptionLosesNothing() async throws {
    let redis = try await TestRedisServer()
    defer { redis.stop() }
    let (a, b) = try await Self.nodes(redis)
    var client = try await TestSocketIOClient.connected(port: a.port, userID: "v")
    #expect(try await Self.push(b.port, "v", "1")["success"] == .bool(true))
    #expect(Self.note(await client.webSocket.nextText())?.message == 1)
    // Redis drops every subscriber: what b publishes meanwhile reaches nobody, and a reads
    // it from the store when its subscription is back (or before the next entry).
    try await RedisConnectionTests.withConnection(redis.url()) { admin in
      _ = try await admin.send([["CLIENT", "KILL", "TYPE", "pubsub"]])
    }
    for index in 2...6 {
      #expect(try await Self.push(b.port, "v", "\(index)")["success"] == .bool(true))
    }
    for index in 2...6 {
      let note = Self.note(await client.webSocket.nextText())
      #expect(note?.message == index)
      #expect(note?.offset.sequence == Int64(index))
    }
    #expect(try await Self.push(b.port, "v", "7")["success"] == .bool(true))
    #expect(Self.note(await client.webSocket.nextText())?.message == 7)
    client.webSocket.close()
    await a.stop()
    await b.stop()
  }

  @Test func restAnswersCoverEveryNode() async throws {
    let redis = try await TestRedisServer()
    defer { redis.stop() }
    let (a, b) = try await Self.nodes(redis)
    let client = try await TestSocketIOClient.connected(port: a.port, userID: "w")
    let status = try await Self.get(b.port, "/api/gateway/status/w")
    #expect(status["connected"] == .bool(true))
    let stats = try await Self.get(b.port, "/api/gateway/stats")
    #expect(stats["userIds"]?.arrayValue?.contains(.string("w")) == true)
    let connected = try await Self.get(b.port, "/api/gateway/connected")
    #expect(connected["count"] == .number(1))
    client.webSocket.close()
    // The socket's close reaches b through Redis.
    #expect(
      await TestServer.eventually {
        (try? await Self.get(b.port, "/api/gateway/status/w"))?["connected"] == .bool(false)
      })
    await a.stop()
    await b.stop()
  }

  @Test func aSocketRecoversOnTheOtherNode() async throws {
    let redis = try await TestRedisServer()
    defer { redis.stop() }
    let (a, b) = try await Self.nodes(redis)
    var first = try await TestSocketIOClient.connected(port: a.port, userID: "x")
    let reply = try JSONParser.parse(String(first.greeting[0].dropFirst(2)))
    let pid = try #require(reply["pid"]?.stringValue)
    #expect(try await Self.push(a.port, "x", "1")["success"] == .bool(true))
    let seen = try #require(Self.note(await first.webSocket.nextText()))
    first.webSocket.close()
    #expect(
      await TestServer.eventually {
        (try? await Self.get(b.port, "/api/gateway/status/x"))?["connected"] == .bool(false)
      })
    for index in 2...4 { _ = try await Self.push(a.port, "x", "\(index)") }
    var again = try await TestSocketIOClient(
      port: b.port,
      auth:
        #"{"token":"\#(TestServer.userToken("x"))","pid":"\#(pid)","offset":"\#(seen.offset.string)"}"#
    )
    // A recovery replays the missed entries before the CONNECT reply.
    for index in 2...4 { #expect(Self.note(await again.webSocket.nextText())?.message == index) }
    let connect = await again.webSocket.nextText()
    #expect(connect?.contains(pid) == true, "\(connect ?? "nil")")
    again.webSocket.close()
    await a.stop()
    await b.stop()
  }
}

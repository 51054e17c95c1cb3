import Protocol
import Testing

@testable import Server

/// A socket's token while connected, server-side disconnects, and the per-socket and
/// per-user limits, on the in-process server.
@Suite struct ConnectionActorLifetimeTests {
  private static let key = [("Authorization", "Bearer \(TestServer.apiKey)")]

  private static func token(_ userID: String, expiresIn seconds: Int) -> String {
    TestServer.token(#"{"sub":"\#(userID)","exp":\#(Int(Clock.unixSeconds()) + seconds)}"#)
  }

  private static func connect(_ port: Int, token: String) async throws -> TestSocketIOClient {
    var client = try await TestSocketIOClient(port: port, auth: #"{"token":"\#(token)"}"#)
    guard await client.webSocket.nextText()?.hasPrefix("40{") == true,
      await client.webSocket.nextText()?.hasPrefix(#"42["connected""#) == true
    else { throw TestSocket.Failure(description: "not connected") }
    return client
  }

  @Test func anExpiringTokenIsWarnedThenTheSocketEndsAtExp() async throws {
    // exp 6 s ahead, warned 3 s before: room for a slow connect (sanitizers) before the
    // warning is due.
    let server = try await TestServer.start { $0.tokenRefreshWindowSeconds = 3 }
    var client = try await Self.connect(server.port, token: Self.token("short", expiresIn: 6))
    let warning = await client.webSocket.nextText() ?? ""
    #expect(warning.hasPrefix(#"42["tokenExpiring",{"expiresAt":""#), "\(warning)")
    #expect(await client.webSocket.nextText() == #"42["error",{"message":"Token expired"}]"#)
    #expect(await client.webSocket.nextText() == "41")
    #expect(await TestServer.eventually { !(await server.context.registry.isConnected("short")) })
    client.webSocket.close()
    await server.stop()
  }

  @Test func aRefreshedTokenOfTheSameUserExtendsTheSocket() async throws {
    let server = try await TestServer.start { $0.tokenRefreshWindowSeconds = 1 }
    // 8 s: room for the refresh round trips on a slow run (sanitizers, a loaded machine).
    let firstExpiry = Int(Clock.unixSeconds()) + 8
    var client = try await Self.connect(
      server.port,
      token: TestServer.token(#"{"sub":"fresh","exp":\#(firstExpiry)}"#))
    // The first token's warning may come at any point here (slow runs, sanitizers): skip it.
    func nextAnswer() async -> String? {
      while let text = await client.webSocket.nextText() {
        if !text.hasPrefix(#"42["tokenExpiring""#) { return text }
      }
      return nil
    }
    let other = Self.token("someone-else", expiresIn: 3600)
    try await client.webSocket.send(#"421["refreshToken",{"token":"\#(other)"}]"#)
    #expect(
      await nextAnswer() == #"431[{"success":false,"message":"The token belongs to another user"}]"#
    )
    try await client.webSocket.send(#"422["refreshToken",{"token":"garbage"}]"#)
    #expect(await nextAnswer()?.hasPrefix(#"432[{"success":false,"#) == true)
    let renewed = Self.token("fresh", expiresIn: 3600)
    try await client.webSocket.send(#"423["refreshToken",{"token":"Bearer \#(renewed)"}]"#)
    #expect(await nextAnswer()?.hasPrefix(#"433[{"success":true,"expiresAt":""#) == true)
    // Past the first token's exp the socket still gets pushes (waiting for time to pass is
    // the point of this test).
    while Clock.unixSeconds() < Double(firstExpiry) + 0.5 {
      try await Task.sleep(for: .milliseconds(100))
    }
    var http = try await TestHTTPClient(port: server.port)
    _ = try await http.request(
      "POST", "/api/gateway/send", headers: Self.key,
      body: #"{"userId":"fresh","event":"still","message":1,"persist":false}"#)
    #expect(await nextAnswer() == #"42["still",1]"#)
    client.webSocket.close()
    await server.stop()
  }

  @Test func restDisconnectEndsEverySocketOfTheUser() async throws {
    let server = try await TestServer.start()
    var tabs = [
      try await TestSocketIOClient.connected(port: server.port, userID: "banned"),
      try await TestSocketIOClient.connected(port: server.port, userID: "banned"),
    ]
    var http = try await TestHTTPClient(port: server.port)
    let response = try await http.request(
      "POST", "/api/gateway/disconnect", headers: Self.key,
      body: #"{"userId":"banned","reason":"account suspended"}"#)
    #expect(response.text == #"{"success":true,"userId":"banned","disconnected":2}"#)
    for index in tabs.indices {
      #expect(
        await tabs[index].webSocket.nextText()
          == #"42["error",{"message":"Disconnected by server","reason":"account suspended"}]"#)
      #expect(await tabs[index].webSocket.nextText() == "41")
    }
    #expect(!(await server.context.registry.isConnected("banned")))
    for tab in tabs { tab.webSocket.close() }
    await server.stop()
  }

  @Test func oneSocketOverThePerUserLimitIsRefused() async throws {
    let server = try await TestServer.start { $0.maxSocketsPerUser = 2 }
    let first = try await TestSocketIOClient.connected(port: server.port, userID: "many")
    let second = try await TestSocketIOClient.connected(port: server.port, userID: "many")
    var third = try await TestSocketIOClient(
      port: server.port, auth: #"{"token":"\#(TestServer.userToken("many"))"}"#)
    #expect(await third.webSocket.nextText()?.hasPrefix(#"40{"sid":"#) == true)
    #expect(await third.webSocket.nextText() == #"42["error",{"message":"Too many connections"}]"#)
    #expect(await third.webSocket.nextText() == "41")
    #expect(await server.context.registry.snapshot().connections == 2)
    for client in [first, second, third] { client.webSocket.close() }
    await server.stop()
  }

  @Test func eventsOverTheSocketBudgetAreDroppedWithOneError() async throws {
    let server = try await TestServer.start {
      $0.clientEventsPerSecond = 1
      $0.clientEventsBurst = 2
    }
    var client = try await TestSocketIOClient.connected(port: server.port, userID: "chatty")
    for index in 1...4 {
      try await client.webSocket.send(#"421\#(index)["history",{"limit":1}]"#)
    }
    #expect(await client.webSocket.nextText()?.hasPrefix("4311[") == true)
    #expect(await client.webSocket.nextText()?.hasPrefix("4312[") == true)
    #expect(await client.webSocket.nextText() == #"42["error",{"message":"Rate limit exceeded"}]"#)
    // The error goes out while the third event is dropped; the fourth is dropped after it,
    // silently, so its count is waited for rather than read at once.
    let metrics = server.context.metrics
    #expect(await TestServer.eventually { metrics.rateLimitedEvents.load() == 2 })
    client.webSocket.close()
    await server.stop()
  }

  @Test func restCallsOverTheCredentialsRateGet429WithRetryAfter() async throws {
    let server = try await TestServer.start { $0.apiRatePerSecond = 1 }
    var http = try await TestHTTPClient(port: server.port)
    #expect(try await http.request("GET", "/api/gateway/stats", headers: Self.key).status == 200)
    // One call a second: back-to-back calls meet an empty bucket (however slow the run,
    // unless each call took a second; 50 of them settle it).
    var limited: TestResponse?
    for _ in 0..<50 where limited == nil {
      let response = try await http.request("GET", "/api/gateway/stats", headers: Self.key)
      if response.status == 429 { limited = response }
    }
    let refused = try #require(limited)
    #expect(
      refused.text
        == #"{"statusCode":429,"message":"Too Many Requests","error":"Too Many Requests"}"#)
    #expect(refused.headers["retry-after"] == "1")
    await server.stop()
  }
}

import Protocol
import Testing

@testable import Server

@Suite struct EngineIOServerTests {
  /// Opens a polling session; returns the client and the sid.
  private func handshake(_ server: TestServer, _ http: inout TestHTTPClient) async throws -> String
  {
    let response = try await http.request("GET", "/socket.io/?EIO=4&transport=polling&t=abc")
    #expect(response.status == 200)
    #expect(response.headers["content-type"] == "text/plain; charset=UTF-8")
    let body = response.text
    #expect(body.hasPrefix(#"0{"sid":""#))
    #expect(
      body.hasSuffix(
        #"","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#
      ))
    return String(body.dropFirst(9).prefix(20))
  }

  @Test func pollingHandshakeConnectAndEventRoundTrip() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    let sid = try await handshake(server, &http)
    let token = TestServer.userToken("507f1f77bcf86cd799439011")
    let post = try await http.request(
      "POST", "/socket.io/?EIO=4&transport=polling&sid=\(sid)",
      headers: [("Content-Type", "text/plain;charset=UTF-8")], body: #"40{"token":"\#(token)"}"#)
    #expect(post.status == 200)
    #expect(post.text == "ok")
    let poll = try await http.request("GET", "/socket.io/?EIO=4&transport=polling&sid=\(sid)")
    let records = poll.text.split(separator: "\u{1E}").map(String.init)
    #expect(records.count == 2)
    #expect(records[0].hasPrefix(#"40{"sid":""#))
    let socketID = String(records[0].dropFirst(10).prefix(20))
    #expect(socketID != sid)
    #expect(
      records[1]
        == #"42["connected",{"message":"Successfully connected to WebSocket","userId":"507f1f77bcf86cd799439011","socketId":"\#(socketID)"}]"#
    )
    _ = try await http.request(
      "POST", "/socket.io/?EIO=4&transport=polling&sid=\(sid)",
      body: #"4212["message",{"message":"Héllo ✓","data":{"x":1}}]"#)
    let reply = try await http.request("GET", "/socket.io/?EIO=4&transport=polling&sid=\(sid)").text
    let parts = reply.split(separator: "\u{1E}").map(String.init)
    #expect(parts.count == 2)
    #expect(
      parts[0].hasPrefix(
        #"42["messageReceived",{"success":true,"message":"Message received by server","data":{"receivedMessage":"Héllo ✓","timestamp":""#
      ))
    #expect(parts[1].hasPrefix(#"4312[{"success":true,"#))
    #expect(
      try #/"timestamp":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"/#.firstMatch(in: parts[0]) != nil)
    await server.stop()
  }

  static let errors: [(String, String, Int, String)] = [
    (
      "GET", "/socket.io/?EIO=4&transport=carrier-pigeon", 400,
      #"{"code":0,"message":"Transport unknown"}"#
    ),
    ("GET", "/socket.io/?EIO=4", 400, #"{"code":0,"message":"Transport unknown"}"#),
    (
      "GET", "/socket.io/?EIO=4&transport=polling&sid=nope", 400,
      #"{"code":1,"message":"Session ID unknown"}"#
    ),
    (
      "POST", "/socket.io/?EIO=4&transport=polling", 400,
      #"{"code":2,"message":"Bad handshake method"}"#
    ),
    ("GET", "/socket.io/?EIO=4&transport=websocket", 400, #"{"code":3,"message":"Bad request"}"#),
    (
      "GET", "/socket.io/?EIO=3&transport=polling", 400,
      #"{"code":5,"message":"Unsupported protocol version"}"#
    ),
    (
      "GET", "/socket.io/?transport=polling", 400,
      #"{"code":5,"message":"Unsupported protocol version"}"#
    ),
  ]

  @Test(arguments: errors)
  func badEngineIORequestsGetTheJSServersErrorBodies(
    method: String, target: String, status: Int, body: String
  ) async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    let response = try await http.request(method, target, body: method == "POST" ? "1" : nil)
    #expect(response.status == status)
    #expect(response.text == body)
    await server.stop()
  }

  @Test func aSecondConcurrentGetClosesTheSession() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    let sid = try await handshake(server, &http)
    try await http.socket.send(
      "GET /socket.io/?EIO=4&transport=polling&sid=\(sid) HTTP/1.1\r\nHost: x\r\n\r\n")
    var second = try await TestHTTPClient(port: server.port)
    // The first GET must be parked before the second arrives, or their roles swap.
    #expect(
      await TestServer.eventually { server.context.sessions[sid]?.outbox.isPollWaiting == true })
    let conflict = try await second.request("GET", "/socket.io/?EIO=4&transport=polling&sid=\(sid)")
    #expect(conflict.status == 400)
    #expect(try await http.readResponse().text == "1")
    var third = try await TestHTTPClient(port: server.port)
    #expect(
      try await third.request("GET", "/socket.io/?EIO=4&transport=polling&sid=\(sid)").status == 400
    )
    await server.stop()
  }

  @Test func aGetWhoseClientHungUpBeforeItWasParkedClosesTheSession() async throws {
    // The request and the FIN arrive together: the hang-up is seen before the GET parks.
    // It must still end the GET (and the session) now, not at the ping timeout (45 s).
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    let sid = try await handshake(server, &http)
    let intruder = try await TestSocket.connect(port: server.port)
    try await intruder.send(
      "GET /socket.io/?EIO=4&transport=polling&sid=\(sid) HTTP/1.1\r\nHost: x\r\n\r\n")
    intruder.shutdownWrite()
    #expect(await TestServer.eventually { server.context.sessions[sid] == nil })
    intruder.close()
    await server.stop()
  }

  @Test func corsPreflightAllowsTheAuthorizationHeader() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    let response = try await http.request(
      "OPTIONS", "/socket.io/?EIO=4&transport=polling",
      headers: [("Origin", "http://app.test"), ("Access-Control-Request-Headers", "authorization")])
    #expect(response.status == 204)
    #expect(response.headers["access-control-allow-origin"] == "*")
    #expect(response.headers["access-control-allow-headers"] == "authorization")
    await server.stop()
  }

  @Test func configuredOriginsAreEchoedWithCredentialsAndForeignUpgradesRefused() async throws {
    let server = try await TestServer.start { $0.corsOrigins = ["http://app.test"] }
    var http = try await TestHTTPClient(port: server.port)
    let response = try await http.request(
      "GET", "/socket.io/?EIO=4&transport=polling", headers: [("Origin", "http://app.test")])
    #expect(response.headers["access-control-allow-origin"] == "http://app.test")
    #expect(response.headers["access-control-allow-credentials"] == "true")
    await #expect(throws: TestSocket.Failure.self) {
      _ = try await TestWebSocketClient(
        port: server.port, target: "/socket.io/?EIO=4&transport=websocket",
        headers: [("Origin", "http://evil.test")])
    }
    await server.stop()
  }

  @Test func webSocketOnlySessionGreetsAValidToken() async throws {
    let server = try await TestServer.start()
    let client = try await TestSocketIOClient.connected(port: server.port, userID: "u1")
    #expect(client.openPacket.contains(#""upgrades":[],"pingInterval":25000"#))
    #expect(await server.context.registry.isConnected("u1"))
    client.webSocket.close()
    #expect(await TestServer.eventually { !(await server.context.registry.isConnected("u1")) })
    await server.stop()
  }

  static let badTokens: [(String, String?)] = [
    ("missing", nil),
    ("empty auth", "{}"),
    ("malformed", #"{"token":"abc"}"#),
    ("wrong signature", #"{"token":"\#(TestServer.userToken("u").dropLast(3))AAA"}"#),
    ("expired", #"{"token":"\#(TestServer.token(#"{"sub":"u","exp":1000}"#))"}"#),
    ("not yet valid", #"{"token":"\#(TestServer.token(#"{"sub":"u","nbf":99999999999}"#))"}"#),
  ]

  @Test(arguments: badTokens)
  func badTokensGetTheErrorEventAndAServerDisconnect(name: String, auth: String?) async throws {
    let server = try await TestServer.start()
    var client = try await TestSocketIOClient(port: server.port, auth: auth)
    let accept = await client.webSocket.nextText()
    #expect(accept?.hasPrefix(#"40{"sid":""#) == true, "\(name)")
    #expect(
      await client.webSocket.nextText() == #"42["error",{"message":"Authentication failed"}]"#)
    #expect(await client.webSocket.nextText() == "41")
    #expect(await server.context.registry.snapshot().connections == 0)
    client.webSocket.close()
    await server.stop()
  }

  @Test func connectErrorModeRefusesWithConnectError() async throws {
    let server = try await TestServer.start { $0.authFailure = .connectError }
    var client = try await TestSocketIOClient(port: server.port, auth: #"{"token":"bad"}"#)
    #expect(await client.webSocket.nextText() == #"44{"message":"Authentication failed"}"#)
    client.webSocket.close()
    await server.stop()
  }

  @Test func headerTokenAuthenticatesWhenAuthHasNone() async throws {
    let server = try await TestServer.start()
    var ws = try await TestWebSocketClient(
      port: server.port, target: "/socket.io/?EIO=4&transport=websocket",
      headers: [("Authorization", "Bearer \(TestServer.userToken("header-user"))")])
    _ = await ws.nextText()
    try await ws.send("40")
    #expect(await ws.nextText()?.hasPrefix("40{\"sid\"") == true)
    #expect(await ws.nextText()?.contains(#""userId":"header-user""#) == true)
    ws.close()
    await server.stop()
  }

  @Test func otherNamespacesAreRefusedAndUnjoinedPacketsCloseTheSession() async throws {
    let server = try await TestServer.start()
    var client = try await TestSocketIOClient.connected(port: server.port, userID: "u")
    try await client.webSocket.send("40/admin,")
    #expect(await client.webSocket.nextText() == #"44/admin,{"message":"Invalid namespace"}"#)
    try await client.webSocket.send(#"42/admin,["x"]"#)
    #expect(await client.webSocket.nextText() == nil)
    await server.stop()
  }

  @Test func binaryMessagesAreEchoedAsBinaryInMessageReceived() async throws {
    let server = try await TestServer.start()
    var client = try await TestSocketIOClient.connected(port: server.port, userID: "u")
    try await client.webSocket.send(#"451-["message",{"message":{"_placeholder":true,"num":0}}]"#)
    try await client.webSocket.send(binary: [1, 2, 3, 4])
    let header = await client.webSocket.nextText()
    #expect(
      header?.hasPrefix(
        #"451-["messageReceived",{"success":true,"message":"Message received by server","data":{"receivedMessage":{"_placeholder":true,"num":0},"timestamp":""#
      ) == true)
    #expect(await client.webSocket.next() == .binary([1, 2, 3, 4]))
    client.webSocket.close()
    await server.stop()
  }

  @Test func aClientThatStopsAnsweringPingsIsRemovedWithinIntervalPlusTimeout() async throws {
    // An interval well above the time to connect: `connected(...)` does not answer pings,
    // and under ThreadSanitizer connecting took more than 300 ms (on a loaded box, more than
    // a second), so a ping due during the connect would close the session before it began.
    // 3 s + 0.2 s still ends the session well inside the client's 15 s receive timeout.
    let server = try await TestServer.start {
      $0.pingIntervalMilliseconds = 3000
      $0.pingTimeoutMilliseconds = 200
    }
    var client = try await TestSocketIOClient.connected(port: server.port, userID: "quiet")
    // The client never answers; the server pings, then closes the socket.
    var frames: [String] = []
    while let frame = await client.webSocket.nextText(skippingPings: false) { frames.append(frame) }
    #expect(frames.allSatisfy { $0 == "2" })
    #expect(await TestServer.eventually { !(await server.context.registry.isConnected("quiet")) })
    #expect(server.context.sessions.count == 0)
    client.webSocket.close()
    await server.stop()
  }

  @Test func pollingUpgradesToWebSocketWithoutLosingAPush() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    let sid = try await handshake(server, &http)
    let token = TestServer.userToken("upgrader")
    _ = try await http.request(
      "POST", "/socket.io/?EIO=4&transport=polling&sid=\(sid)", body: #"40{"token":"\#(token)"}"#)
    _ = try await http.request("GET", "/socket.io/?EIO=4&transport=polling&sid=\(sid)")
    // A GET waits; the probe releases it with a noop.
    try await http.socket.send(
      "GET /socket.io/?EIO=4&transport=polling&sid=\(sid) HTTP/1.1\r\nHost: x\r\n\r\n")
    var ws = try await TestWebSocketClient(
      port: server.port, target: "/socket.io/?EIO=4&transport=websocket&sid=\(sid)")
    try await ws.send("2probe")
    #expect(await ws.nextText() == "3probe")
    #expect(try await http.readResponse().text == "6")
    // A push while the client is paused waits for the upgrade.
    var api = try await TestHTTPClient(port: server.port)
    _ = try await api.request(
      "POST", "/api/gateway/send", headers: [("Authorization", "Bearer \(TestServer.apiKey)")],
      body: #"{"userId":"upgrader","event":"mid","message":{"n":1},"persist":false}"#)
    try await ws.send("5")
    #expect(await ws.nextText() == #"42["mid",{"n":1}]"#)
    #expect(
      try await http.request("GET", "/socket.io/?EIO=4&transport=polling&sid=\(sid)").text
        == #"{"code":3,"message":"Bad request"}"#)
    try await ws.send(#"42["message",{"message":"after"}]"#)
    #expect(await ws.nextText()?.contains(#""receivedMessage":"after""#) == true)
    ws.close()
    #expect(
      await TestServer.eventually { !(await server.context.registry.isConnected("upgrader")) })
    await server.stop()
  }
}

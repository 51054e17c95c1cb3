import Testing

@testable import Server

@Suite struct RESTAPITests {
  static let seedUser = "507f1f77bcf86cd799439011"

  private func admin() -> [(String, String)] {
    [("Authorization", "Bearer \(TestServer.adminToken())"), ("Content-Type", "application/json")]
  }

  @Test func liveOnlySendToAnOfflineUserAnswersTheSeedsNotConnectedBody() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    let response = try await http.request(
      "POST", "/api/gateway/send", headers: admin(),
      body:
        #"{"userId":"\#(Self.seedUser)","event":"notification","message":{"title":"New Message"},"persist":false}"#
    )
    #expect(response.status == 201)
    #expect(
      response.text
        == #"{"success":false,"message":"User 507f1f77bcf86cd799439011 is not connected"}"#)
    await server.stop()
  }

  @Test func liveOnlySendReachesEverySocketOfTheUserWithTheMessageUnchanged() async throws {
    let server = try await TestServer.start()
    var first = try await TestSocketIOClient.connected(port: server.port, userID: Self.seedUser)
    var second = try await TestSocketIOClient.connected(port: server.port, userID: Self.seedUser)
    var other = try await TestSocketIOClient.connected(port: server.port, userID: "someone-else")
    var http = try await TestHTTPClient(port: server.port)
    let message =
      #"{"title":"New Message","body":"You have a new message","n":1.50,"z":{"b":1,"a":[true,null]}}"#
    let response = try await http.request(
      "POST", "/api/gateway/send", headers: admin(),
      body:
        #"{"userId":"\#(Self.seedUser)", "event": "notification", "message": \#(message), "persist": false}"#
    )
    #expect(response.status == 201)
    #expect(
      response.text
        == #"{"success":true,"message":"Message sent to user 507f1f77bcf86cd799439011"}"#)
    let expected =
      #"42["notification",{"title":"New Message","body":"You have a new message","n":1.5,"z":{"b":1,"a":[true,null]}}]"#
    #expect(await first.webSocket.nextText() == expected)
    #expect(await second.webSocket.nextText() == expected)
    // The other user gets nothing: the next thing it sees is our own probe push.
    _ = try await http.request(
      "POST", "/api/gateway/send", headers: admin(),
      body: #"{"userId":"someone-else","event":"probe","message":1,"persist":false}"#)
    #expect(await other.webSocket.nextText() == #"42["probe",1]"#)
    for client in [first, second, other] { client.webSocket.close() }
    await server.stop()
  }

  @Test func liveOnlySendManyAnswersTheSeedsBodyAndDeliversOncePerSocket() async throws {
    let server = try await TestServer.start()
    var alice = try await TestSocketIOClient.connected(
      port: server.port, userID: "507f1f77bcf86cd799439012")
    var http = try await TestHTTPClient(port: server.port)
    let response = try await http.request(
      "POST", "/api/gateway/send-many", headers: admin(),
      body:
        #"{"userIds":["507f1f77bcf86cd799439011","507f1f77bcf86cd799439012","507f1f77bcf86cd799439012"],"event":"announcement","message":{"title":"System Announcement"},"persist":false}"#
    )
    #expect(response.status == 201)
    #expect(
      response.text
        == #"{"success":true,"message":"Message sent to 3 users","userIds":["507f1f77bcf86cd799439011","507f1f77bcf86cd799439012","507f1f77bcf86cd799439012"]}"#
    )
    #expect(
      await alice.webSocket.nextText() == #"42["announcement",{"title":"System Announcement"}]"#)
    _ = try await http.request(
      "POST", "/api/gateway/send", headers: admin(),
      body: #"{"userId":"507f1f77bcf86cd799439012","event":"after","message":null,"persist":false}"#
    )
    #expect(await alice.webSocket.nextText() == #"42["after",null]"#)
    alice.webSocket.close()
    await server.stop()
  }

  @Test func statusConnectedAndStatsFollowConnectionsInFirstConnectOrder() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    let auth = [("Authorization", "Bearer \(TestServer.apiKey)")]
    #expect(
      try await http.request("GET", "/api/gateway/connected", headers: auth).text
        == #"{"connectedUsers":[],"count":0}"#)
    let b = try await TestSocketIOClient.connected(
      port: server.port, userID: "507f1f77bcf86cd799439012")
    let a = try await TestSocketIOClient.connected(port: server.port, userID: Self.seedUser)
    let a2 = try await TestSocketIOClient.connected(port: server.port, userID: Self.seedUser)
    #expect(
      try await http.request("GET", "/api/gateway/status/\(Self.seedUser)", headers: auth).text
        == #"{"userId":"507f1f77bcf86cd799439011","connected":true}"#)
    #expect(
      try await http.request("GET", "/api/gateway/connected", headers: auth).text
        == #"{"connectedUsers":["507f1f77bcf86cd799439012","507f1f77bcf86cd799439011"],"count":2}"#)
    #expect(
      try await http.request("GET", "/api/gateway/stats", headers: auth).text
        == #"{"connectedUsers":2,"userIds":["507f1f77bcf86cd799439012","507f1f77bcf86cd799439011"]}"#
    )
    a.webSocket.close()
    // Still connected through the second tab.
    #expect(
      await TestServer.eventually { await server.context.registry.snapshot().connections == 2 })
    #expect(
      try await http.request("GET", "/api/gateway/status/\(Self.seedUser)", headers: auth).text
        .hasSuffix("\"connected\":true}"))
    a2.webSocket.close()
    b.webSocket.close()
    #expect(
      await TestServer.eventually { await server.context.registry.snapshot().connections == 0 })
    #expect(
      try await http.request("GET", "/api/gateway/status/\(Self.seedUser)", headers: auth).text
        == #"{"userId":"507f1f77bcf86cd799439011","connected":false}"#)
    await server.stop()
  }

  static let authCases: [(String, [(String, String)], Int, String)] = [
    ("no header", [], 401, "Missing Authorization header"),
    ("basic scheme", [("Authorization", "Basic abc")], 401, "Bearer scheme"),
    ("garbage token", [("Authorization", "Bearer not.a.jwt")], 401, "Invalid token"),
    ("wrong key", [("Authorization", "Bearer wrong-key")], 401, "Invalid token"),
    (
      "plain user token", [("Authorization", "Bearer \(TestServer.userToken("u1"))")], 403,
      "lacks the 'admin' role"
    ),
  ]

  @Test(arguments: authCases)
  func restAPIRefusesCallersWithoutAdminRights(
    name: String, headers: [(String, String)], status: Int, fragment: String
  ) async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    for (method, path) in [
      ("GET", "/api/gateway/stats"), ("POST", "/api/gateway/send"),
      ("GET", "/api/gateway/connected"),
    ] {
      let response = try await http.request(
        method, path, headers: headers, body: method == "POST" ? "{}" : nil)
      #expect(response.status == status, "\(name) \(path)")
      #expect(response.text.hasPrefix(#"{"statusCode":\#(status),"message":""#))
      #expect(response.text.contains(fragment), "\(response.text)")
    }
    await server.stop()
  }

  @Test func emptyAPIRoleAcceptsAnyValidToken() async throws {
    let server = try await TestServer.start { $0.apiRole = "" }
    var http = try await TestHTTPClient(port: server.port)
    let response = try await http.request(
      "GET", "/api/gateway/stats",
      headers: [("Authorization", "Bearer \(TestServer.userToken("u1"))")])
    #expect(response.status == 200)
    await server.stop()
  }

  static let badBodies: [(String, String, Int, String)] = [
    ("/api/gateway/send", "not json", 400, "not valid JSON"),
    ("/api/gateway/send", "[1]", 400, "must be a JSON object"),
    ("/api/gateway/send", #"{"event":"x"}"#, 400, "userId must be a non-empty string"),
    ("/api/gateway/send", #"{"userId":"","event":"x"}"#, 400, "userId must be a non-empty string"),
    ("/api/gateway/send", #"{"userId":5,"event":"x"}"#, 400, "userId must be a non-empty string"),
    ("/api/gateway/send", #"{"userId":"u"}"#, 400, "event must be a non-empty string"),
    ("/api/gateway/send", #"{"userId":"u","event":7}"#, 400, "event must be a non-empty string"),
    ("/api/gateway/send", #"{"userId":"u","event":"disconnect"}"#, 400, "reserved"),
    ("/api/gateway/send", #"{"userId":"u","event":"connect_error"}"#, 400, "reserved"),
    (
      "/api/gateway/send-many", #"{"userIds":[],"event":"x"}"#, 400,
      "userIds must be a non-empty array"
    ),
    (
      "/api/gateway/send-many", #"{"userIds":"u","event":"x"}"#, 400,
      "userIds must be a non-empty array"
    ),
    ("/api/gateway/send-many", #"{"userIds":["u",3],"event":"x"}"#, 400, "only non-empty strings"),
    ("/api/gateway/send-many", #"{"userIds":["u"],"event":"newListener"}"#, 400, "reserved"),
  ]

  @Test(arguments: badBodies)
  func invalidBodiesGetNestShaped400s(path: String, body: String, status: Int, fragment: String)
    async throws
  {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    let response = try await http.request("POST", path, headers: admin(), body: body)
    #expect(response.status == status)
    #expect(response.text.hasPrefix(#"{"statusCode":400,"message":""#))
    #expect(response.text.hasSuffix(#","error":"Bad Request"}"#))
    #expect(response.text.contains(fragment), "\(response.text)")
    await server.stop()
  }

  @Test func unknownRoutesAndWrongMethodsAnswer404And405InJSON() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    let missing = try await http.request("GET", "/api/gateway/nope", headers: admin())
    #expect(missing.status == 404)
    #expect(
      missing.text
        == #"{"statusCode":404,"message":"Cannot GET /api/gateway/nope","error":"Not Found"}"#)
    let elsewhere = try await http.request("GET", "/favicon.ico")
    #expect(elsewhere.status == 404)
    let wrong = try await http.request("GET", "/api/gateway/send", headers: admin())
    #expect(wrong.status == 405)
    #expect(wrong.text.contains("use POST"))
    #expect(wrong.headers["content-type"] == "application/json; charset=utf-8")
    await server.stop()
  }

  @Test func oversizedBodiesGet413AndTheServerKeepsServing() async throws {
    let server = try await TestServer.start {
      $0.maxBodyBytes = 2048; $0.maxPayloadBytes = 2048
    }
    var http = try await TestHTTPClient(port: server.port)
    let big =
      #"{"userId":"u","event":"e","message":""# + String(repeating: "x", count: 4096) + "\"}"
    let response = try await http.request("POST", "/api/gateway/send", headers: admin(), body: big)
    #expect(response.status == 413)
    #expect(response.text.hasPrefix(#"{"statusCode":413,"#))
    var again = try await TestHTTPClient(port: server.port)
    #expect(try await again.request("GET", "/healthz").status == 200)
    await server.stop()
  }
}

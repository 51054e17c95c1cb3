import Testing

@testable import Server

@Suite struct OpsRoutesTests {
  private static let scrapeToken = "server-tests-metrics-token"

  private func scrape(
    _ server: TestServer, credential: String? = TestServer.apiKey
  ) async throws -> TestResponse {
    var http = try await TestHTTPClient(port: server.port)
    let headers = credential.map { [("Authorization", "Bearer \($0)")] } ?? []
    return try await http.request("GET", "/metrics", headers: headers)
  }

  /// The value of the sample line `series` (name and labels exactly as written).
  private func value(_ series: String, in text: String) -> Double? {
    for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
      return Double(line.dropFirst(series.count + 1))
    }
    return nil
  }

  @Test func metricsAfterAConnectAndAPushCountThemInThePrometheusFormat() async throws {
    let server = try await TestServer.start()
    var client = try await TestSocketIOClient.connected(port: server.port, userID: "metrics-user")
    var http = try await TestHTTPClient(port: server.port)
    let push = try await http.request(
      "POST", "/api/gateway/send",
      headers: [
        ("Authorization", "Bearer \(TestServer.apiKey)"), ("Content-Type", "application/json"),
      ],
      body: #"{"userId":"metrics-user","event":"n","message":1,"persist":false}"#)
    #expect(push.status == 201)
    #expect(await client.webSocket.nextText() == #"42["n",1]"#)

    let response = try await scrape(server)
    #expect(response.status == 200)
    #expect(response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
    let text = response.text
    #expect(value("gateway_users_connected", in: text) == 1)
    #expect(value("gateway_sockets_connected", in: text) == 1)
    #expect(value("gateway_socket_connects_total", in: text) == 1)
    #expect(value("gateway_events_delivered_total", in: text) == 1)
    #expect(value("gateway_push_duration_seconds_count", in: text) == 1)
    #expect(
      value(
        #"gateway_rest_requests_total{method="POST",route="/api/gateway/send",code="201"}"#,
        in: text) == 1)
    #expect(
      value(
        #"gateway_rest_request_duration_seconds_count{method="POST",route="/api/gateway/send"}"#,
        in: text) == 1)
    #expect((value("gateway_bytes_received_total", in: text) ?? 0) > 0)
    #expect((value("gateway_bytes_sent_total", in: text) ?? 0) > 0)
    #expect((value("gateway_process_resident_memory_bytes", in: text) ?? 0) > 0)
    #expect((value("gateway_process_open_fds", in: text) ?? 0) > 0)
    #expect(text.hasSuffix("\n"))
    client.webSocket.close()
    await server.stop()
  }

  @Test func aDisconnectAndAnAuthFailureAreCountedByReason() async throws {
    let server = try await TestServer.start()
    let client = try await TestSocketIOClient.connected(port: server.port, userID: "leaver")
    client.webSocket.close()
    #expect(
      await TestServer.eventually {
        server.context.metrics.socketDisconnects.count("transport close") == 1
      })
    var refused = try await TestSocketIOClient(port: server.port, auth: #"{"token":"not-a-jwt"}"#)
    _ = await refused.webSocket.nextText()  // the CONNECT the seed's failure answers first
    #expect(
      await refused.webSocket.nextText() == #"42["error",{"message":"Authentication failed"}]"#)
    let text = try await scrape(server).text
    #expect(value(#"gateway_socket_disconnects_total{reason="transport close"}"#, in: text) == 1)
    #expect(value(#"gateway_auth_failures_total{reason="malformed"}"#, in: text) == 1)
    refused.webSocket.close()
    await server.stop()
  }

  @Test func metricsRefusesAMissingOrUserCredentialInTheNestShape() async throws {
    let server = try await TestServer.start()
    let missing = try await scrape(server, credential: nil)
    #expect(missing.status == 401)
    #expect(missing.text.hasPrefix(#"{"statusCode":401,"message":"#))
    let user = try await scrape(server, credential: TestServer.userToken("plain-user"))
    #expect(user.status == 403)
    let admin = try await scrape(server, credential: TestServer.adminToken())
    #expect(admin.status == 200)
    await server.stop()
  }

  @Test func theMetricsTokenReadsMetricsButNotTheAPI() async throws {
    let server = try await TestServer.start { $0.metricsToken = Self.scrapeToken }
    #expect(try await scrape(server, credential: Self.scrapeToken).status == 200)
    #expect(try await scrape(server, credential: "wrong-token").status == 401)
    var http = try await TestHTTPClient(port: server.port)
    let api = try await http.request(
      "GET", "/api/gateway/stats", headers: [("Authorization", "Bearer \(Self.scrapeToken)")])
    #expect(api.status == 401)
    await server.stop()
  }

  @Test func metricsAnswers405ToAPost() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    let response = try await http.request(
      "POST", "/metrics", headers: [("Authorization", "Bearer \(TestServer.apiKey)")], body: "")
    #expect(response.status == 405)
    #expect(response.headers["allow"] == "GET, HEAD")
    await server.stop()
  }

  @Test func aHeadAnswerHasTheHeadersAndNoBodySoTheNextResponseStaysInStep() async throws {
    let server = try await TestServer.start()
    let socket = try await TestSocket.connect(port: server.port)
    try await socket.send(
      "HEAD /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(TestServer.apiKey)\r\n\r\n"
        + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    var received: [UInt8] = []
    while true {
      let more = await socket.receive()
      if more.isEmpty { break }
      received += more
    }
    let text = String(decoding: received, as: UTF8.self)
    let responses = text.split(separator: "HTTP/1.1 ", omittingEmptySubsequences: true)
    #expect(responses.count == 2)
    #expect(responses.first?.hasSuffix("\r\n\r\n") == true)  // headers only
    #expect(responses.first?.contains("Content-Length: 0") == false)
    #expect(text.hasSuffix(#"{"status":"ok"}"#))
    socket.close()
    await server.stop()
  }

  @Test func everyRoutes405SaysWhichMethodsItAllows() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    let headers = [("Authorization", "Bearer \(TestServer.apiKey)")]
    let send = try await http.request("GET", "/api/gateway/send", headers: headers)
    #expect(send.status == 405)
    #expect(send.headers["allow"] == "POST")
    let stats = try await http.request("DELETE", "/api/gateway/stats", headers: headers)
    #expect(stats.headers["allow"] == "GET")
    let health = try await http.request("POST", "/healthz", headers: headers, body: "")
    #expect(health.headers["allow"] == "GET, HEAD")
    await server.stop()
  }
}

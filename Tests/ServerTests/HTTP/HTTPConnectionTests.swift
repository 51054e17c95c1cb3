import Testing

@testable import Server

@Suite struct HTTPConnectionTests {
  @Test func keepAliveServesManyRequestsOnOneConnection() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    for _ in 0..<20 {
      let response = try await http.request("GET", "/healthz")
      #expect(response.status == 200)
      #expect(response.text == #"{"status":"ok"}"#)
    }
    await server.stop()
  }

  @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    let auth = "Authorization: Bearer \(TestServer.apiKey)\r\n"
    try await http.socket.send(
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        + "GET /api/gateway/status/abc HTTP/1.1\r\nHost: x\r\n\(auth)\r\n"
        + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n")
    #expect(try await http.readResponse().status == 200)
    #expect(try await http.readResponse().text == #"{"userId":"abc","connected":false}"#)
    #expect(try await http.readResponse().status == 404)
    await server.stop()
  }

  @Test func http10AndConnectionCloseEndTheConnectionAfterTheResponse() async throws {
    let server = try await TestServer.start()
    for request in [
      "GET /healthz HTTP/1.0\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ] {
      var http = try await TestHTTPClient(port: server.port)
      try await http.socket.send(request)
      let response = try await http.readResponse()
      #expect(response.status == 200)
      #expect(response.headers["connection"] == "close")
      #expect(await http.readToEnd().isEmpty)
    }
    await server.stop()
  }

  @Test func expectContinueGets100BeforeTheBody() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    let body = #"{"userId":"u","event":"e","message":1}"#
    try await http.socket.send(
      "POST /api/gateway/send HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(TestServer.apiKey)\r\n"
        + "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
    )
    #expect(try await http.readResponse().status == 100)
    try await http.socket.send(body)
    let response = try await http.readResponse()
    #expect(response.status == 201)
    await server.stop()
  }

  @Test func chunkedRequestBodiesAreAccepted() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    try await http.socket.send(
      "POST /api/gateway/send HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(TestServer.apiKey)\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n" + "10\r\n{\"userId\":\"u\",\"e\r\n"
        + "13\r\nvent\":\"e\",\"message\"\r\n"
        + "3\r\n:1}\r\n0\r\n\r\n")
    let response = try await http.readResponse()
    #expect(response.status == 201)
    #expect(
      response.text.hasPrefix(#"{"success":false,"message":"User u is not connected","messageId""#))
    await server.stop()
  }

  @Test func oversizedHeadersGet431() async throws {
    let server = try await TestServer.start { $0.maxHeaderBytes = 2048 }
    var http = try await TestHTTPClient(port: server.port)
    try await http.socket.send(
      "GET /healthz HTTP/1.1\r\nX-Big: \(String(repeating: "a", count: 4096))\r\n\r\n")
    let response = try await http.readResponse()
    #expect(response.status == 431)
    #expect(response.text.hasPrefix(#"{"statusCode":431,"#))
    await server.stop()
  }

  @Test func slowLorisHeadersAreCutAtTheHeaderTimeout() async throws {
    let server = try await TestServer.start { $0.headerTimeoutMilliseconds = 200 }
    var http = try await TestHTTPClient(port: server.port)
    try await http.socket.send("GET /healthz HTTP/1.1\r\nX-Slow: ")
    let response = try await http.readResponse()
    #expect(response.status == 408)
    #expect(await http.readToEnd().isEmpty)
    await server.stop()
  }

  @Test func idleKeepAliveConnectionsAreClosed() async throws {
    // The idle clock starts at accept, before the client's first request is sent: 1 s
    // leaves room for a slow client thread and still ends well inside its 15 s receive timeout.
    let server = try await TestServer.start { $0.idleTimeoutMilliseconds = 1000 }
    var http = try await TestHTTPClient(port: server.port)
    #expect(try await http.request("GET", "/healthz").status == 200)
    #expect(await http.readToEnd().isEmpty)
    #expect(server.context.connections.count <= 1)
    await server.stop()
  }

  static let malformed: [String] = [
    "GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET / HTTP/9.9\r\n\r\n",
    "GET / HTTP/1.1\r\nBad Header\r\n\r\n",
    "GET / HTTP/1.1\r\nX : y\r\n\r\n", "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
    "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
    "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n",
    "GET /\u{0}x HTTP/1.1\r\n\r\n", "\u{1}\u{2}\u{3}\r\n\r\n",
  ]

  @Test func malformedRequestsGetAnErrorAndTheServerKeepsServing() async throws {
    let server = try await TestServer.start()
    for round in 0..<10 {
      for request in Self.malformed {
        var http = try await TestHTTPClient(port: server.port)
        try await http.socket.send(request)
        let response = try await http.readResponse()
        #expect((400...505).contains(response.status), "\(request.debugDescription) round \(round)")
        http.socket.close()
      }
    }
    var check = try await TestHTTPClient(port: server.port)
    #expect(try await check.request("GET", "/healthz").status == 200)
    await server.stop()
  }

  @Test func connectionsOverTheLimitGet503() async throws {
    let server = try await TestServer.start { $0.maxConnections = 2 }
    var first = try await TestHTTPClient(port: server.port)
    var second = try await TestHTTPClient(port: server.port)
    #expect(try await first.request("GET", "/healthz").status == 200)
    #expect(try await second.request("GET", "/healthz").status == 200)
    var third = try await TestHTTPClient(port: server.port)
    let refused = try await third.readResponse()
    #expect(refused.status == 503)
    #expect(refused.text.contains("GATEWAY_MAX_CONNECTIONS"))
    #expect(try await first.request("GET", "/healthz").status == 200)
    await server.stop()
  }

  @Test func healthzAnswers503WhileDraining() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    #expect(try await http.request("GET", "/healthz").status == 200)
    server.context.beginDraining()
    let response = try await http.request("GET", "/healthz")
    #expect(response.status == 503)
    #expect(response.headers["connection"] == "close")
    await server.stop()
  }
}

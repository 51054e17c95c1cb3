import Protocol
import Testing

@testable import Server

@Suite struct ForwardedRequestTests {
  static let proof = ClusterProof(secret: "s3cret")

  @Test func aPollingPostKeepsItsFieldsAndBodyAndGainsTheClusterFields() {
    let request = HTTPRequest(
      head: HTTPRequestHead(
        method: "POST", target: "/socket.io/?EIO=4&transport=polling&sid=a.X",
        headers: HTTPHeaders([
          ("Host", "lb.example"), ("Origin", "http://app.test"), ("Connection", "keep-alive"),
          ("Content-Type", "text/plain;charset=UTF-8"), ("Content-Length", "2"),
          ("Cookie", "io=a.X"), ("X-Gateway-Cluster", "forged"),
          ("X-Gateway-Client-Address", "6.6.6.6:1"),
        ])), body: Array("40".utf8))
    let bytes = ForwardedRequest.encode(
      request, address: "10.0.0.2:3000", proof: Self.proof, clientAddress: "203.0.113.9:5000",
      isUpgrade: false)
    #expect(
      String(decoding: bytes, as: UTF8.self)
        == "POST /socket.io/?EIO=4&transport=polling&sid=a.X HTTP/1.1\r\n"
        + "Host: lb.example\r\nOrigin: http://app.test\r\n"
        + "Content-Type: text/plain;charset=UTF-8\r\nCookie: io=a.X\r\n"
        + "X-Gateway-Cluster: \(Self.proof.value)\r\n"
        + "X-Gateway-Client-Address: 203.0.113.9:5000\r\nContent-Length: 2\r\n\r\n40")
  }

  @Test func anUpgradeKeepsItsHandshakeFieldsAndHasNoBody() throws {
    let request = HTTPRequest(
      head: HTTPRequestHead(
        method: "GET", target: "/socket.io/?EIO=4&transport=websocket&sid=a.X", version: .http1_0,
        headers: HTTPHeaders([
          ("Upgrade", "websocket"), ("Connection", "keep-alive, Upgrade"),
          ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Sec-WebSocket-Version", "13"),
        ])), body: [])
    let bytes = ForwardedRequest.encode(
      request, address: "10.0.0.2:3000", proof: Self.proof, clientAddress: "203.0.113.9:5000",
      isUpgrade: true)
    var parser = HTTPRequestParser()
    var buffer = ByteBuffer()
    buffer.writeBytes(bytes)
    guard case .request(let parsed)? = try parser.next(from: &buffer) else {
      Issue.record("the forwarded upgrade does not parse")
      return
    }
    #expect(parsed.head.headers["host"] == "10.0.0.2:3000")
    #expect(WebSocketHandshake.isUpgradeRequest(parsed.head))
    #expect(parsed.head.headers["sec-websocket-key"] == "dGhlIHNhbXBsZSBub25jZQ==")
    #expect(parsed.head.headers["content-length"] == nil)
    #expect(Self.proof.clientAddress(parsed.head.headers) == "203.0.113.9:5000")
    #expect(buffer.readableBytes == 0)
  }

  @Test func theRelayedAnswerKeepsEverythingButTheFraming() {
    let answer = HTTPResponseParser.Response(
      head: HTTPResponseHead(
        status: 200,
        headers: HTTPHeaders([
          ("Content-Type", "text/plain; charset=UTF-8"), ("Content-Length", "1"),
          ("Access-Control-Allow-Origin", "http://app.test"),
          ("Access-Control-Allow-Credentials", "true"), ("Set-Cookie", "io=a.X; Path=/"),
          ("Connection", "keep-alive"), ("Keep-Alive", "timeout=5"),
        ])), body: Array("6".utf8), closesConnection: false)
    let relayed = ForwardedRequest.relay(answer)
    #expect(relayed.status == 200)
    #expect(relayed.body == Array("6".utf8))
    #expect(!relayed.closeConnection)
    #expect(
      relayed.headers
        == HTTPHeaders([
          ("Content-Type", "text/plain; charset=UTF-8"),
          ("Access-Control-Allow-Origin", "http://app.test"),
          ("Access-Control-Allow-Credentials", "true"), ("Set-Cookie", "io=a.X; Path=/"),
        ]))
  }

  @Test func aClosingAnswerClosesTheClientsConnectionButA101KeepsItsUpgradeFields() {
    let closing = HTTPResponseParser.Response(
      head: HTTPResponseHead(status: 400, headers: HTTPHeaders([("Connection", "close")])),
      body: [], closesConnection: true)
    #expect(ForwardedRequest.relay(closing).closeConnection)
    let upgrade = HTTPResponseParser.Response(
      head: HTTPResponseHead(
        status: 101,
        headers: HTTPHeaders([
          ("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", "x"),
        ])), body: [], closesConnection: false)
    let relayed = ForwardedRequest.relay(upgrade)
    #expect(relayed.headers["connection"] == "Upgrade")
    #expect(relayed.headers["upgrade"] == "websocket")
    #expect(!relayed.closeConnection)
  }
}

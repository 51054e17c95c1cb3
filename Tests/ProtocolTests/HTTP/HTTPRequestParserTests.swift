import Testing

@testable import Protocol

/// A well-formed byte stream and everything the parser must make of it.
struct HTTPValidRequestCase: Sendable, CustomTestStringConvertible {
  var name: String
  var bytes: [UInt8]
  var outputs: [HTTPRequestParser.Output]
  var leftover: [UInt8] = []
  var stopAfterRequests: Int?

  var testDescription: String { name }
}

@Suite struct HTTPRequestParserTests {
  private typealias Harness = HTTPParserHarness

  /// The UTF-8 bytes of `parts` one after the other (a long stream written line by line).
  private static func stream(_ parts: String...) -> [UInt8] {
    Array(parts.joined().utf8)
  }

  private static func request(_ head: HTTPRequestHead, body: String = "")
    -> HTTPRequestParser.Output
  {
    .request(HTTPRequest(head: head, body: Array(body.utf8)))
  }

  private static let upgradeHead = Harness.head(
    "GET", "/socket.io/?EIO=4&transport=websocket",
    [
      ("Host", "localhost:3000"), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
      ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Sec-WebSocket-Version", "13"),
    ])
  private static let expectHead = Harness.head(
    "POST", "/api/gateway/send",
    [("Host", "a"), ("Content-Length", "5"), ("Expect", "100-continue")])
  private static let chunkedHead = Harness.head(
    "POST", "/api/gateway/send", [("Host", "a"), ("Transfer-Encoding", "chunked")])

  static let validCases: [HTTPValidRequestCase] = [
    HTTPValidRequestCase(
      name: "GET polling request",
      bytes: stream(
        "GET /socket.io/?EIO=4&transport=polling&t=N8hyd6w HTTP/1.1\r\nHost: localhost:3000\r\n",
        "Accept: */*\r\nUser-Agent: curl/8.5.0\r\n\r\n"),
      outputs: [
        request(
          Harness.head(
            "GET", "/socket.io/?EIO=4&transport=polling&t=N8hyd6w",
            [("Host", "localhost:3000"), ("Accept", "*/*"), ("User-Agent", "curl/8.5.0")]))
      ]),
    HTTPValidRequestCase(
      name: "POST with Content-Length",
      bytes: stream(
        "POST /api/gateway/send HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n",
        "Content-Length: 27\r\n\r\n{\"userId\":\"u1\",\"event\":\"x\"}"),
      outputs: [
        request(
          Harness.head(
            "POST", "/api/gateway/send",
            [("Host", "a"), ("Content-Type", "application/json"), ("Content-Length", "27")]),
          body: "{\"userId\":\"u1\",\"event\":\"x\"}")
      ]),
    HTTPValidRequestCase(
      name: "chunked body with extensions and trailers",
      bytes: stream(
        "POST /api/gateway/send HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
        "5;name=value\r\nhello\r\n6 ; ext ; b=\"q\"\r\n world\r\n0\r\nX-Checksum: abc\r\n",
        "X-Other: d\r\n\r\n"),
      outputs: [request(chunkedHead, body: "hello world")]),
    HTTPValidRequestCase(
      name: "chunked body with uppercase hex and leading zeros",
      bytes: stream(
        "POST /api/gateway/send HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
        "000A\r\n0123456789\r\n1\r\n!\r\n0\r\n\r\n"),
      outputs: [request(chunkedHead, body: "0123456789!")]),
    HTTPValidRequestCase(
      name: "HTTP/1.0 without Host",
      bytes: Array("GET / HTTP/1.0\r\n\r\n".utf8),
      outputs: [request(Harness.head("GET", "/", version: .http1_0, []))]),
    HTTPValidRequestCase(
      name: "HTTP/1.0 ignores Expect: 100-continue",
      bytes: Array("POST /x HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok".utf8),
      outputs: [
        request(
          Harness.head(
            "POST", "/x", version: .http1_0,
            [("Expect", "100-continue"), ("Content-Length", "2")]), body: "ok")
      ]),
    HTTPValidRequestCase(
      name: "two pipelined requests",
      bytes: stream(
        "GET /a HTTP/1.1\r\nHost: a\r\n\r\nPOST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n",
        "\r\nabc"),
      outputs: [
        request(Harness.head("GET", "/a", [("Host", "a")])),
        request(Harness.head("POST", "/b", [("Host", "a"), ("Content-Length", "3")]), body: "abc"),
      ]),
    HTTPValidRequestCase(
      name: "three pipelined requests, the last one chunked",
      bytes: stream(
        "GET /a HTTP/1.1\r\nHost: a\r\n\r\nPOST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n",
        "\r\nxPOST /api/gateway/send HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
        "2\r\nhi\r\n0\r\n\r\n"),
      outputs: [
        request(Harness.head("GET", "/a", [("Host", "a")])),
        request(Harness.head("POST", "/b", [("Host", "a"), ("Content-Length", "1")]), body: "x"),
        request(chunkedHead, body: "hi"),
      ]),
    HTTPValidRequestCase(
      name: "Expect: 100-continue then body",
      bytes: stream(
        "POST /api/gateway/send HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n",
        "Expect: 100-continue\r\n\r\nhello"),
      outputs: [.expectContinue(expectHead), request(expectHead, body: "hello")]),
    HTTPValidRequestCase(
      name: "Expect: 100-continue with a chunked body",
      bytes: stream(
        "POST /api/gateway/send HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n",
        "Expect: 100-Continue\r\n\r\n1\r\nz\r\n0\r\n\r\n"),
      outputs: [
        .expectContinue(
          Harness.head(
            "POST", "/api/gateway/send",
            [("Host", "a"), ("Transfer-Encoding", "chunked"), ("Expect", "100-Continue")])),
        request(
          Harness.head(
            "POST", "/api/gateway/send",
            [("Host", "a"), ("Transfer-Encoding", "chunked"), ("Expect", "100-Continue")]),
          body: "z"),
      ]),
    HTTPValidRequestCase(
      name: "Expect: 100-continue without a body is just a request",
      bytes: Array("GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n".utf8),
      outputs: [request(Harness.head("GET", "/", [("Host", "a"), ("Expect", "100-continue")]))]),
    HTTPValidRequestCase(
      name: "Upgrade request leaves the WebSocket bytes in the buffer",
      bytes: stream(
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: localhost:3000\r\n",
        "Upgrade: websocket\r\nConnection: Upgrade\r\n",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n") + [
          0x81, 0x81, 0x01, 0x02, 0x03, 0x04, 0x33,
        ],
      outputs: [request(upgradeHead)],
      leftover: [0x81, 0x81, 0x01, 0x02, 0x03, 0x04, 0x33],
      stopAfterRequests: 1),
    HTTPValidRequestCase(
      name: "repeated headers keep their order",
      bytes: stream(
        "GET / HTTP/1.1\r\nHost: a\r\nCookie: a=1\r\nAccept: text/html\r\nCookie: b=2\r\n",
        "Content-Length: 2\r\ncontent-length: 2, 2\r\n\r\nok"),
      outputs: [
        request(
          Harness.head(
            "GET", "/",
            [
              ("Host", "a"), ("Cookie", "a=1"), ("Accept", "text/html"), ("Cookie", "b=2"),
              ("Content-Length", "2"), ("content-length", "2, 2"),
            ]), body: "ok")
      ]),
    HTTPValidRequestCase(
      name: "bare LF line endings in the head",
      bytes: Array("GET / HTTP/1.1\nHost: a\nX-A: b\r\n\n".utf8),
      outputs: [request(Harness.head("GET", "/", [("Host", "a"), ("X-A", "b")]))]),
    HTTPValidRequestCase(
      name: "empty lines before the request line are skipped",
      bytes: Array("\r\n\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8),
      outputs: [request(Harness.head("GET", "/", [("Host", "a")]))]),
    HTTPValidRequestCase(
      name: "values trimmed, empty value and obs-text kept",
      bytes: stream(
        "GET / HTTP/1.1\r\nHost:a\r\nX-A: \t spaced  out \t\r\nX-Empty:\r\n",
        "X-Name: caf\u{E9}\r\n\r\n"),
      outputs: [
        request(
          Harness.head(
            "GET", "/",
            [("Host", "a"), ("X-A", "spaced  out"), ("X-Empty", ""), ("X-Name", "caf\u{E9}")]))
      ]),
    HTTPValidRequestCase(
      name: "asterisk-form OPTIONS, absolute-form and authority-form targets",
      bytes: stream(
        "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\nGET http://a/b?c HTTP/1.1\r\nHost: a\r\n\r\n",
        "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n"),
      outputs: [
        request(Harness.head("OPTIONS", "*", [("Host", "a")])),
        request(Harness.head("GET", "http://a/b?c", [("Host", "a")])),
        request(Harness.head("CONNECT", "a:443", [("Host", "a:443")])),
      ]),
    HTTPValidRequestCase(
      name: "case-insensitive framing names, coding list with empty elements",
      bytes: stream(
        "PUT /x HTTP/1.1\r\nhost: a\r\ntransfer-encoding: , Chunked ,\r\n\r\n3\r\nabc\r\n0\r\n",
        "\r\n"),
      outputs: [
        request(
          Harness.head("PUT", "/x", [("host", "a"), ("transfer-encoding", ", Chunked ,")]),
          body: "abc")
      ]),
    HTTPValidRequestCase(
      name: "Content-Length: 0 has an empty body",
      bytes: Array("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 000\r\n\r\n".utf8),
      outputs: [request(Harness.head("POST", "/x", [("Host", "a"), ("Content-Length", "000")]))]),
  ]

  @Test(arguments: validCases)
  func parserProducesExpectedOutputsForValidStreamInOnePiece(_ testCase: HTTPValidRequestCase) {
    let run = Harness.whole(testCase.bytes, stopAfterRequests: testCase.stopAfterRequests)
    #expect(run == HTTPParseRun(outputs: testCase.outputs, error: nil, leftover: testCase.leftover))
  }

  @Test(arguments: validCases)
  func parserGivesIdenticalRunsForValidStreamUnderEverySplit(_ testCase: HTTPValidRequestCase) {
    let expected = HTTPParseRun(outputs: testCase.outputs, error: nil, leftover: testCase.leftover)
    for pieces in Harness.splits(count: testCase.bytes.count, seed: 0x4854_5450) {
      let run = Harness.run(
        testCase.bytes, pieces: pieces, stopAfterRequests: testCase.stopAfterRequests)
      #expect(run == expected, "pieces: \(pieces)")
    }
  }

  @Test func parserLeavesNextPipelinedRequestUnconsumedAfterRequest() throws {
    var parser = HTTPRequestParser()
    var buffer = ByteBuffer(string: "GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HT")
    let first = try parser.next(from: &buffer)
    #expect(first == .request(HTTPRequest(head: Harness.head("GET", "/a", [("Host", "a")]))))
    #expect(Array(buffer.readableBytesView) == Array("GET /b HT".utf8))
    #expect(!parser.isMidRequest)
    #expect(try parser.next(from: &buffer) == nil)
    #expect(parser.isMidRequest)
  }

  @Test func isMidRequestTracksPartialHeadAndBodyButNotIdleOrEmptyLines() throws {
    var parser = HTTPRequestParser()
    var buffer = ByteBuffer(string: "\r\n")
    #expect(try parser.next(from: &buffer) == nil)
    #expect(!parser.isMidRequest)
    buffer.writeString("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nab")
    #expect(try parser.next(from: &buffer) == nil)
    #expect(parser.isMidRequest)
    buffer.writeString("cd")
    #expect(try parser.next(from: &buffer) != nil)
    #expect(!parser.isMidRequest)
  }

  @Test func parserIsReusableForManyRequestsOnOneConnection() throws {
    var parser = HTTPRequestParser()
    var buffer = ByteBuffer()
    for index in 0..<50 {
      buffer.writeString(
        "POST /\(index) HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\n\(index % 10)")
      let output = try parser.next(from: &buffer)
      let expectedHead = Harness.head(
        "POST", "/\(index)", [("Host", "a"), ("Content-Length", "1")])
      #expect(
        output == .request(HTTPRequest(head: expectedHead, body: Array("\(index % 10)".utf8))))
      buffer.discardReadBytes()
    }
    #expect(buffer.readableBytes == 0)
  }

  @Test func parserRethrowsSameErrorAfterFailure() {
    var parser = HTTPRequestParser()
    var buffer = ByteBuffer(string: "GET / HTTP/3.0\r\n\r\n")
    let expected = HTTPParseError(status: 505, message: "HTTP/3.0 is not supported; use HTTP/1.1")
    #expect(throws: expected) { try parser.next(from: &buffer) }
    buffer.writeString("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    #expect(throws: expected) { try parser.next(from: &buffer) }
  }
}

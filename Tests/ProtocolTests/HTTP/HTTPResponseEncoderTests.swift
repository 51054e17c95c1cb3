import Testing

@testable import Protocol

@Suite struct HTTPResponseEncoderTests {
  private static func encode(
    _ status: Int, _ headers: [(String, String)] = [], body: String = "", keepAlive: Bool = true
  ) -> String {
    var output: [UInt8] = []
    let head = HTTPResponseHead(
      status: status, headers: HTTPHeaders(headers.map { (name: $0.0, value: $0.1) }))
    HTTPResponseEncoder.encode(head, body: Array(body.utf8), keepAlive: keepAlive, into: &output)
    return String(decoding: output, as: UTF8.self)
  }

  @Test func encoderWritesStatusLineHeadersInOrderContentLengthAndBody() {
    let text = Self.encode(
      200, [("Content-Type", "application/json"), ("X-B", "2"), ("X-A", "1")], body: "{\"ok\":true}"
    )
    #expect(
      text
        == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-B: 2\r\nX-A: 1\r\n"
        + "Content-Length: 11\r\n\r\n{\"ok\":true}"
    )
  }

  @Test func encoderAddsConnectionCloseWhenNotKeepAlive() {
    #expect(
      Self.encode(400, body: "bad", keepAlive: false)
        == "HTTP/1.1 400 Bad Request\r\nContent-Length: 3\r\nConnection: close\r\n\r\nbad")
  }

  @Test func encoderDoesNotRepeatConnectionCloseTheHeadersAlreadyHave() {
    #expect(
      Self.encode(503, [("Connection", "close")], keepAlive: false)
        == "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
  }

  @Test func encoderWritesContentLengthZeroForEmptyBody() {
    #expect(Self.encode(200) == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
  }

  @Test(arguments: [(204, "No Content"), (304, "Not Modified")])
  func encoderOmitsContentLengthAndBodyForBodilessStatus(status: Int, reason: String) {
    #expect(
      Self.encode(status, [("ETag", "\"x\"")], body: "ignored")
        == "HTTP/1.1 \(status) \(reason)\r\nETag: \"x\"\r\n\r\n")
  }

  @Test func encoderWritesBareInterimContinue() {
    #expect(Self.encode(100, keepAlive: false) == "HTTP/1.1 100 Continue\r\n\r\n")
  }

  @Test func encoderWritesSwitchingProtocolsWithoutContentLengthOrClose() {
    let text = Self.encode(
      101,
      [
        ("Upgrade", "websocket"), ("Connection", "Upgrade"),
        ("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
      ], keepAlive: false)
    #expect(
      text
        == "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"
    )
  }

  @Test func encoderReplacesGivenFramingHeadersWithTheRealLength() {
    #expect(
      Self.encode(200, [("Content-Length", "99"), ("transfer-encoding", "chunked")], body: "ab")
        == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nab")
  }

  @Test func encoderWritesLineBreaksInsideHeadersAsSpaces() {
    #expect(
      Self.encode(200, [("X-A\r\n", "a\r\nSet-Cookie: x=1\u{0}")])
        == "HTTP/1.1 200 OK\r\nX-A  : a  Set-Cookie: x=1 \r\nContent-Length: 0\r\n\r\n")
  }

  @Test func encoderAppendsAfterExistingOutputBytes() {
    var output = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
    HTTPResponseEncoder.encode(
      HTTPResponseHead(status: 201), body: [0x00, 0xFF], keepAlive: true, into: &output)
    #expect(
      output
        == Array(
          "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n".utf8)
        + [0x00, 0xFF])
  }

  @Test func encoderAcceptsAnyByteCollectionAsBody() {
    var output: [UInt8] = []
    let body: ArraySlice<UInt8> = Array("xxhello".utf8)[2...]
    HTTPResponseEncoder.encode(
      HTTPResponseHead(status: 200), body: body, keepAlive: true, into: &output)
    #expect(
      String(decoding: output, as: UTF8.self) == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
    )
  }

  @Test(arguments: [
    (100, "Continue"), (101, "Switching Protocols"), (200, "OK"), (201, "Created"),
    (202, "Accepted"), (204, "No Content"), (301, "Moved Permanently"), (304, "Not Modified"),
    (400, "Bad Request"), (401, "Unauthorized"), (403, "Forbidden"), (404, "Not Found"),
    (405, "Method Not Allowed"), (408, "Request Timeout"), (409, "Conflict"),
    (413, "Payload Too Large"), (414, "URI Too Long"), (415, "Unsupported Media Type"),
    (417, "Expectation Failed"), (422, "Unprocessable Entity"), (426, "Upgrade Required"),
    (429, "Too Many Requests"), (431, "Request Header Fields Too Large"),
    (500, "Internal Server Error"), (501, "Not Implemented"), (502, "Bad Gateway"),
    (503, "Service Unavailable"), (504, "Gateway Timeout"), (505, "HTTP Version Not Supported"),
  ])
  func reasonPhraseIsTheStandardOne(status: Int, phrase: String) {
    #expect(HTTPResponseEncoder.reasonPhrase(for: status) == phrase)
  }

  @Test(arguments: [0, 99, 299, 599, 999, -1])
  func reasonPhraseIsUnknownForUnregisteredStatus(status: Int) {
    #expect(HTTPResponseEncoder.reasonPhrase(for: status) == "Unknown")
  }

  @Test(arguments: [400, 413, 414, 431, 501, 505])
  func everyParseErrorStatusHasAReasonPhrase(status: Int) {
    #expect(HTTPResponseEncoder.reasonPhrase(for: status) != "Unknown")
  }
}

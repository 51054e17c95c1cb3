import Testing

@testable import Protocol

@Suite struct HTTPResponseParserTests {
  /// The responses in `bytes`, fed in `pieces`; stops after a `101` (the rest is the
  /// WebSocket stream) and returns the bytes left, or the error.
  private static func run(
    _ bytes: [UInt8], pieces: [Int], parser: HTTPResponseParser = HTTPResponseParser()
  ) -> Result<([HTTPResponseParser.Response], [UInt8]), HTTPResponseParser.Failure> {
    var parser = parser
    var buffer = ByteBuffer()
    var responses: [HTTPResponseParser.Response] = []
    var offset = 0
    var upgraded = false
    for size in pieces {
      buffer.writeBytes(bytes[offset..<(offset + size)])
      offset += size
      guard !upgraded else { continue }
      do {
        while let response = try parser.next(from: &buffer) {
          responses.append(response)
          if response.head.status == 101 {
            upgraded = true
            break
          }
        }
      } catch {
        return .failure(error)
      }
      buffer.discardReadBytes()
    }
    return .success((responses, Array(buffer.readableBytesView)))
  }

  /// The same run all at once and byte by byte.
  private static func runBothWays(_ text: String, parser: HTTPResponseParser = HTTPResponseParser())
    -> Result<([HTTPResponseParser.Response], [UInt8]), HTTPResponseParser.Failure>
  {
    let bytes = Array(text.utf8)
    let whole = run(bytes, pieces: [bytes.count], parser: parser)
    let dripped = run(bytes, pieces: Array(repeating: 1, count: bytes.count), parser: parser)
    switch (whole, dripped) {
    case (.success(let a), .success(let b)):
      #expect(a.0 == b.0)
      #expect(a.1 == b.1)
    case (.failure(let a), .failure(let b)):
      #expect(a == b)
    default:
      Issue.record("split changed the outcome: \(whole) vs \(dripped)")
    }
    return whole
  }

  @Test func keepAliveResponsesWithBodiesComeOutInOrder() throws {
    let text =
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: 5\r\n"
      + "Access-Control-Allow-Origin: *\r\n\r\nhello"
      + "HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\nConnection: close\r\n\r\nno"
    let (responses, rest) = try Self.runBothWays(text).get()
    #expect(responses.count == 2)
    #expect(responses[0].head.status == 200)
    #expect(responses[0].head.headers["content-type"] == "text/plain; charset=UTF-8")
    #expect(responses[0].head.headers["access-control-allow-origin"] == "*")
    #expect(responses[0].body == Array("hello".utf8))
    #expect(!responses[0].closesConnection)
    #expect(responses[1].head.status == 400)
    #expect(responses[1].body == Array("no".utf8))
    #expect(responses[1].closesConnection)
    #expect(rest.isEmpty)
  }

  @Test func aSwitchingProtocolsAnswerLeavesTheStreamAfterIt() throws {
    let text =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n\u{81}\u{06}3probe"
    let (responses, rest) = try Self.runBothWays(text).get()
    #expect(responses.count == 1)
    #expect(responses[0].head.status == 101)
    #expect(responses[0].body.isEmpty)
    #expect(rest == Array("\u{81}\u{06}3probe".utf8))
  }

  @Test func statusesWithoutABodyNeedNoLength() throws {
    let text = "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nETag: x\r\n\r\n"
    let (responses, _) = try Self.runBothWays(text).get()
    #expect(responses.map(\.head.status) == [204, 304])
  }

  @Test func http10ClosesUnlessItAsksForKeepAlive() throws {
    let text =
      "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"
      + "HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n"
    let (responses, _) = try Self.runBothWays(text).get()
    #expect(responses.map(\.closesConnection) == [true, false])
  }

  static let malformed: [(String, String)] = [
    ("HTTP/2 200 OK\r\nContent-Length: 0\r\n\r\n", "malformed status line"),
    ("HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n", "malformed status line"),
    ("HTTP/1.1 200OK\r\nContent-Length: 0\r\n\r\n", "malformed status line"),
    ("HTTP/1.1 099 Odd\r\nContent-Length: 0\r\n\r\n", "malformed status line"),
    ("HTTP/1.1 200 OK\r\n\r\n", "response has no single valid Content-Length"),
    (
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
      "response has no single valid Content-Length"
    ),
    (
      "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "response has no single valid Content-Length"
    ),
    (
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
      "Transfer-Encoding is not supported on this connection"
    ),
    ("HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n", "malformed header line"),
    ("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", "malformed header line"),
    ("HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", "malformed line ending in the response head"),
  ]

  @Test(arguments: malformed)
  func malformedResponsesAreRefused(text: String, message: String) {
    guard case .failure(let failure) = Self.runBothWays(text) else {
      Issue.record("accepted \(text.debugDescription)")
      return
    }
    #expect(failure.message == message)
  }

  @Test func aHeadOverTheLimitIsRefusedBeforeItEnds() {
    let parser = HTTPResponseParser(maxHeadBytes: 64)
    let text = "HTTP/1.1 200 OK\r\nX-Filler: " + String(repeating: "a", count: 100)
    guard case .failure(let failure) = Self.runBothWays(text, parser: parser) else {
      Issue.record("an endless head was accepted")
      return
    }
    #expect(failure.message == "response head is larger than 64 bytes")
  }

  @Test func aBodyOverTheLimitIsRefusedFromItsLength() {
    let parser = HTTPResponseParser(maxBodyBytes: 10)
    let text = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n"
    guard case .failure(let failure) = Self.runBothWays(text, parser: parser) else {
      Issue.record("an oversized body was accepted")
      return
    }
    #expect(failure.message == "response body of 11 bytes is over 10")
  }

  @Test func aFailedParserStaysFailed() {
    var parser = HTTPResponseParser()
    var buffer = ByteBuffer()
    buffer.writeString("HTTP/9 nope\r\n\r\n")
    #expect(throws: HTTPResponseParser.Failure.self) { _ = try parser.next(from: &buffer) }
    var good = ByteBuffer()
    good.writeString("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    #expect(throws: HTTPResponseParser.Failure.self) { _ = try parser.next(from: &good) }
  }

  @Test func aPartialResponseIsMidResponse() throws {
    var parser = HTTPResponseParser()
    var buffer = ByteBuffer()
    #expect(!parser.isMidResponse)
    buffer.writeString("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nab")
    #expect(try parser.next(from: &buffer) == nil)
    #expect(parser.isMidResponse)
    buffer.writeString("c")
    #expect(try parser.next(from: &buffer)?.body == Array("abc".utf8))
    #expect(!parser.isMidResponse)
  }
}

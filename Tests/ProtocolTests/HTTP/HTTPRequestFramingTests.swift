import Testing

@testable import Protocol

@Suite struct HTTPRequestFramingTests {
  private typealias Bad = HTTPBadRequestCase
  private static let post = "POST /api/gateway/send HTTP/1.1\r\nHost: a\r\n"

  static let badFraming: [HTTPBadRequestCase] = [
    Bad("Content-Length not a number", post + "Content-Length: abc\r\n\r\n", 400),
    Bad("Content-Length negative", post + "Content-Length: -1\r\n\r\n", 400),
    Bad("Content-Length with plus", post + "Content-Length: +5\r\n\r\n", 400),
    Bad("Content-Length in hex", post + "Content-Length: 0x10\r\n\r\n", 400),
    Bad("Content-Length empty", post + "Content-Length:\r\n\r\n", 400),
    Bad("Content-Length with empty element", post + "Content-Length: 1,,1\r\n\r\nx", 400),
    Bad(
      "differing Content-Length list", post + "Content-Length: 5, 6\r\n\r\nhello", 400,
      message: "Request has differing Content-Length values"),
    Bad(
      "differing Content-Length fields", post + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n",
      400),
    Bad(
      "Transfer-Encoding and Content-Length",
      post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400,
      message: "Request has both Transfer-Encoding and Content-Length"),
    Bad(
      "Transfer-Encoding in HTTP/1.0",
      "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
    Bad("chunked twice", post + "Transfer-Encoding: chunked, chunked\r\n\r\n", 400),
    Bad(
      "chunked twice over two fields",
      post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
    Bad("empty Transfer-Encoding", post + "Transfer-Encoding: \r\n\r\n", 400),
    Bad(
      "gzip only", post + "Transfer-Encoding: gzip\r\n\r\n", 501,
      message: "Transfer-Encoding 'gzip' is not supported"),
    Bad("gzip then chunked", post + "Transfer-Encoding: gzip, chunked\r\n\r\n", 501),
    Bad("chunked then gzip", post + "Transfer-Encoding: chunked, gzip\r\n\r\n", 501),
    Bad("identity", post + "Transfer-Encoding: identity\r\n\r\n", 501),
    Bad("coding with a space", post + "Transfer-Encoding: g zip, chunked\r\n\r\n", 400),
    Bad(
      "Content-Length over the limit", post + "Content-Length: 1000001\r\n\r\n", 413,
      message: "Request body exceeds 1000000 bytes"),
    Bad(
      "Content-Length past Int.max", post + "Content-Length: 99999999999999999999999\r\n\r\n", 413),
    Bad(
      "Expect with Content-Length over the limit",
      post + "Expect: 100-continue\r\nContent-Length: 2000000\r\n\r\n", 413),
  ]

  @Test(arguments: badFraming)
  func parserRejectsBadFramingWithSameErrorUnderEverySplit(_ testCase: HTTPBadRequestCase) {
    testCase.verify()
  }

  @Test func parserRejectsContentLengthOverLimitBeforeAnyBodyByte() {
    var parser = HTTPRequestParser(limits: HTTPLimits(maxBodyBytes: 10))
    var buffer = ByteBuffer(string: Self.post + "Content-Length: 11\r\n\r\n")
    #expect(throws: HTTPParseError(status: 413, message: "Request body exceeds 10 bytes")) {
      try parser.next(from: &buffer)
    }
  }

  @Test func parserEmitsExpectContinueOnceBeforeAnyBodyByte() throws {
    var parser = HTTPRequestParser()
    var buffer = ByteBuffer(string: Self.post + "Expect: 100-continue\r\nContent-Length: 3\r\n\r\n")
    guard case .expectContinue(let head) = try parser.next(from: &buffer) else {
      Issue.record("expected expectContinue")
      return
    }
    #expect(head.headers["expect"] == "100-continue")
    #expect(try parser.next(from: &buffer) == nil)
    #expect(parser.isMidRequest)
    buffer.writeString("abc")
    #expect(
      try parser.next(from: &buffer) == .request(HTTPRequest(head: head, body: Array("abc".utf8))))
  }
}

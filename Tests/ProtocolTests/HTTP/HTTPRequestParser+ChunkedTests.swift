import Testing

@testable import Protocol

@Suite struct HTTPRequestParserChunkedTests {
  private typealias Bad = HTTPBadRequestCase
  private static let head =
    "POST /api/gateway/send HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"

  static let badChunks: [HTTPBadRequestCase] = [
    Bad(
      "size not hexadecimal", head + "zz\r\n", 400,
      message: "Chunk size is not a hexadecimal number"),
    Bad("size missing", head + "\r\n", 400),
    Bad("size with sign", head + "+5\r\nhello\r\n0\r\n\r\n", 400),
    Bad("size in 0x form", head + "0x5\r\nhello\r\n0\r\n\r\n", 400),
    Bad("size line ends in bare LF", head + "5\nhello\r\n0\r\n\r\n", 400),
    Bad("size line ends in bare CR", head + "5\rhello\r\n0\r\n\r\n", 400),
    Bad("size followed by junk", head + "5x\r\nhello\r\n0\r\n\r\n", 400),
    Bad("seventeen digits", head + "00000000000000001\r\nx\r\n0\r\n\r\n", 400),
    Bad("control byte in extension", head + "5;a\u{0}b\r\nhello\r\n0\r\n\r\n", 400),
    Bad(
      "data not followed by CRLF", head + "5\r\nhelloX\r\n0\r\n\r\n", 400,
      message: "Chunk data is not followed by CRLF"),
    Bad("data followed by bare LF", head + "5\r\nhello\n0\r\n\r\n", 400),
    Bad("data longer than size", head + "3\r\nhello\r\n0\r\n\r\n", 400),
    Bad("malformed trailer", head + "0\r\nBad Trailer\r\n\r\n", 400),
    Bad("folded trailer", head + "0\r\nX-A: b\r\n c\r\n\r\n", 400),
    Bad(
      "size over the body limit", head + "F4241\r\n", 413,
      message: "Request body exceeds 1000000 bytes"),
    Bad("sixteen digits of f", head + "ffffffffffffffff\r\n", 413),
    Bad(
      "sum of chunks over the limit", head + "6\r\nabcdef\r\n5\r\n", 413,
      limits: HTTPLimits(maxBodyBytes: 10)),
  ]

  @Test(arguments: badChunks)
  func parserRejectsBadChunkedBodyWithSameErrorUnderEverySplit(_ testCase: HTTPBadRequestCase) {
    testCase.verify()
  }

  @Test func parserAcceptsChunksSummingExactlyToBodyLimit() throws {
    var parser = HTTPRequestParser(limits: HTTPLimits(maxBodyBytes: 10))
    var buffer = ByteBuffer(string: Self.head + "6\r\nabcdef\r\n4\r\nghij\r\n0\r\n\r\n")
    let output = try parser.next(from: &buffer)
    guard case .request(let request) = output else {
      Issue.record("expected a request, got \(String(describing: output))")
      return
    }
    #expect(request.body == Array("abcdefghij".utf8))
  }

  @Test func parserConsumesChunkSizeLineBytesAsTheyArrive() throws {
    var parser = HTTPRequestParser()
    var buffer = ByteBuffer(string: Self.head + "1;ext=")
    #expect(try parser.next(from: &buffer) == nil)
    #expect(buffer.readableBytes == 0)
  }
}

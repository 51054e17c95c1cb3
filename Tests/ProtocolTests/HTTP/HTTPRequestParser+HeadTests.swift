import Testing

@testable import Protocol

@Suite struct HTTPRequestParserHeadTests {
  private typealias Bad = HTTPBadRequestCase

  static let malformedRequestLines: [HTTPBadRequestCase] = [
    Bad("no target", "GET\r\n\r\n", 400, message: "Request line has no request target"),
    Bad("no version (HTTP/0.9)", "GET /\r\n\r\n", 400, message: "Request line has no HTTP version"),
    Bad("leading space", " GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    Bad("two spaces after method", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    Bad("space after version", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400),
    Bad("tab as separator", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    Bad("method with @", "G@T / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    Bad("NUL in target", "GET /a\u{0}b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    Bad("tab in target", "GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    Bad("DEL in target", "GET /a\u{7F} HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    Bad("raw UTF-8 in target", "GET /caf\u{E9} HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    Bad("relative target", "GET index.html HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    Bad("asterisk without OPTIONS", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    Bad("lowercase http", "GET / http/1.1\r\nHost: a\r\n\r\n", 400),
    Bad("version without minor", "GET / HTTP/1\r\nHost: a\r\n\r\n", 400),
    Bad("version with two-digit minor", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", 400),
    Bad("three parts after method", "GET / x HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    Bad("bare CR in request line", "GET / HTTP/1.1\rHost: a\r\n\r\n", 400),
    Bad("CR CR LF", "GET / HTTP/1.1\r\r\nHost: a\r\n\r\n", 400),
    Bad("too many empty lines first", "\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    Bad(
      "TLS ClientHello", [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03], 400),
    Bad("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505),
    Bad("HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", 505),
    Bad("HTTP/0.9 spelled out", "GET / HTTP/0.9\r\n\r\n", 505),
    Bad(
      "HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505,
      message: "HTTP/2.0 is not supported; use HTTP/1.1"),
  ]

  static let malformedHeaderLines: [HTTPBadRequestCase] = [
    Bad("no colon", "GET / HTTP/1.1\r\nHost a\r\n\r\n", 400, message: "Header line has no colon"),
    Bad(
      "space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400,
      message: "Header name is followed by whitespace before the colon"),
    Bad("empty name", "GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n", 400),
    Bad("non-token name", "GET / HTTP/1.1\r\nHost: a\r\nX(A): b\r\n\r\n", 400),
    Bad("non-ASCII name", "GET / HTTP/1.1\r\nHost: a\r\nX-\u{E9}: b\r\n\r\n", 400),
    Bad(
      "obsolete line folding", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", 400,
      message: "Header line starts with whitespace (obsolete line folding)"),
    Bad("whitespace before first header", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400),
    Bad(
      "NUL in value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{0}c\r\n\r\n", 400,
      message: "Header 'X-A' contains a control character"),
    Bad("bare CR in value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n", 400),
    Bad("CR before CRLF", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\r\n\r\n", 400),
    Bad("DEL in value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{7F}\r\n\r\n", 400),
    Bad("escape in value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: \u{1B}[31m\r\n\r\n", 400),
    Bad("missing Host in HTTP/1.1", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400),
    Bad("two Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
    Bad("two Host headers in HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n", 400),
  ]

  @Test(arguments: malformedRequestLines)
  func parserRejectsMalformedRequestLineWithSameErrorUnderEverySplit(_ testCase: HTTPBadRequestCase)
  {
    testCase.verify()
  }

  @Test(arguments: malformedHeaderLines)
  func parserRejectsMalformedHeaderLineWithSameErrorUnderEverySplit(_ testCase: HTTPBadRequestCase)
  {
    testCase.verify()
  }

  @Test func parserRejectsGarbageMethodBeforeLineEnds() {
    var parser = HTTPRequestParser()
    var buffer = ByteBuffer(bytes: [0x16, 0x03, 0x01])
    #expect(throws: HTTPParseError.self) { try parser.next(from: &buffer) }
  }
}

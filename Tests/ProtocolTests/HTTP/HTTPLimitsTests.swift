import Testing

@testable import Protocol

@Suite struct HTTPLimitsTests {
  private typealias Bad = HTTPBadRequestCase

  /// A head of exactly `size` bytes: request line, Host, one filler field, empty line.
  private static func head(totalBytes size: Int, lineEnd: String = "\r\n") -> String {
    let fixed = "GET / HTTP/1.1\(lineEnd)Host: a\(lineEnd)X: \(lineEnd)\(lineEnd)"
    return "GET / HTTP/1.1\(lineEnd)Host: a\(lineEnd)X: "
      + String(repeating: "v", count: size - fixed.utf8.count) + "\(lineEnd)\(lineEnd)"
  }

  private static func headers(count: Int) -> String {
    "GET / HTTP/1.1\r\nHost: a\r\n"
      + (1..<count).map { "X-\($0): v\r\n" }.joined() + "\r\n"
  }

  private static func target(length: Int) -> String {
    "GET /" + String(repeating: "t", count: length - 1) + " HTTP/1.1\r\nHost: a\r\n\r\n"
  }

  private static let chunkedHead =
    "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"

  /// Exactly at each bound: accepted, one request. Trailer lines and their empty line count
  /// into the head budget; chunk extensions (from the `;`) have a budget of their own.
  static let atLimit: [(String, String, HTTPLimits)] = [
    ("target", target(length: 10), HTTPLimits(maxTargetLength: 10)),
    ("head bytes", head(totalBytes: 100), HTTPLimits(maxHeaderBytes: 100)),
    ("head bytes, bare LF", head(totalBytes: 100, lineEnd: "\n"), HTTPLimits(maxHeaderBytes: 100)),
    ("header count", headers(count: 5), HTTPLimits(maxHeaderCount: 5)),
    (
      "Content-Length body", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789",
      HTTPLimits(maxBodyBytes: 10)
    ),
    (
      "chunked body", chunkedHead + "a\r\n0123456789\r\n0\r\n\r\n", HTTPLimits(maxBodyBytes: 10)
    ),
    (
      "head plus trailer bytes", chunkedHead + "0\r\nT: 123\r\n\r\n",
      HTTPLimits(maxHeaderBytes: chunkedHead.utf8.count + 10)
    ),
    ("head plus trailer count", chunkedHead + "0\r\nT: 1\r\n\r\n", HTTPLimits(maxHeaderCount: 3)),
    (
      "chunk extension bytes",
      chunkedHead + "1;" + String(repeating: "e", count: 99) + "\r\nx\r\n0\r\n\r\n",
      HTTPLimits(maxHeaderBytes: 100)
    ),
  ]

  /// One over each bound: rejected with the bound's status, under every split.
  static let overLimit: [HTTPBadRequestCase] = [
    Bad(
      "target", target(length: 11), 414, message: "Request target exceeds 10 bytes",
      limits: HTTPLimits(maxTargetLength: 10)),
    Bad(
      "head bytes", head(totalBytes: 101), 431, message: "Request header fields exceed 100 bytes",
      limits: HTTPLimits(maxHeaderBytes: 100)),
    Bad(
      "head bytes, bare LF", head(totalBytes: 101, lineEnd: "\n"), 431,
      limits: HTTPLimits(maxHeaderBytes: 100)),
    Bad(
      "request line alone", "GET /" + String(repeating: "t", count: 30) + " HTTP/1.1\r\n", 431,
      limits: HTTPLimits(maxHeaderBytes: 30)),
    Bad(
      "request line CRLF", "GET / HTTP/1.1\r\n", 431, limits: HTTPLimits(maxHeaderBytes: 15)),
    Bad(
      "header count", headers(count: 6), 431, message: "Request has more than 5 header fields",
      limits: HTTPLimits(maxHeaderCount: 5)),
    Bad(
      "Content-Length body", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n01234567890",
      413, limits: HTTPLimits(maxBodyBytes: 10)),
    Bad(
      "chunked body", chunkedHead + "b\r\n01234567890\r\n0\r\n\r\n", 413,
      limits: HTTPLimits(maxBodyBytes: 10)),
    Bad(
      "head plus trailer bytes", chunkedHead + "0\r\nT: 1234\r\n\r\n", 431,
      limits: HTTPLimits(maxHeaderBytes: chunkedHead.utf8.count + 10)),
    Bad(
      "head plus trailer count", chunkedHead + "0\r\nT: 1\r\nU: 2\r\n\r\n", 431,
      limits: HTTPLimits(maxHeaderCount: 3)),
    Bad(
      "chunk extension bytes",
      chunkedHead + "1;" + String(repeating: "e", count: 100) + "\r\nx\r\n0\r\n\r\n", 413,
      message: "Chunk extensions exceed 100 bytes", limits: HTTPLimits(maxHeaderBytes: 100)),
  ]

  @Test(arguments: atLimit)
  func parserAcceptsRequestExactlyAtLimit(name: String, text: String, limits: HTTPLimits) {
    let run = HTTPParserHarness.whole(Array(text.utf8), limits: limits)
    #expect(run.error == nil)
    #expect(run.outputs.count == 1)
    #expect(run.leftover.isEmpty)
  }

  @Test(arguments: overLimit)
  func parserRejectsRequestOneOverLimitUnderEverySplit(_ testCase: HTTPBadRequestCase) {
    testCase.verify()
  }

  @Test func defaultLimitsMatchTheDocumentedValues() {
    let limits = HTTPLimits()
    #expect(limits.maxHeaderBytes == 16 * 1024)
    #expect(limits.maxHeaderCount == 100)
    #expect(limits.maxTargetLength == 8 * 1024)
    #expect(limits.maxBodyBytes == 1_000_000)
  }

  /// Feeds `text` byte by byte; returns how many bytes had arrived when the parser threw.
  private static func bytesFedUntilThrow(_ text: String, limits: HTTPLimits) -> Int? {
    var parser = HTTPRequestParser(limits: limits)
    var buffer = ByteBuffer()
    for (index, byte) in text.utf8.enumerated() {
      buffer.writeBytes([byte])
      do {
        _ = try parser.next(from: &buffer)
      } catch {
        return index + 1
      }
    }
    return nil
  }

  @Test func neverEndingHeaderFailsAsSoonAsItPassesTheByteLimit() {
    let endless = "GET / HTTP/1.1\r\nHost: a\r\nX-Endless: " + String(repeating: "v", count: 200)
    #expect(Self.bytesFedUntilThrow(endless, limits: HTTPLimits(maxHeaderBytes: 100)) == 101)
  }

  @Test func overlongTargetFailsAsSoonAsItPassesTheTargetLimit() {
    let endless = "GET /" + String(repeating: "t", count: 200)
    // "GET " is 4 bytes; the 11th target byte is byte 15.
    #expect(Self.bytesFedUntilThrow(endless, limits: HTTPLimits(maxTargetLength: 10)) == 15)
  }

  @Test func endlessMethodFailsAsSoonAsItPassesTheByteLimit() {
    let endless = String(repeating: "G", count: 200)
    #expect(Self.bytesFedUntilThrow(endless, limits: HTTPLimits(maxHeaderBytes: 50)) == 51)
  }

  @Test func defaultTargetLimitRejectsTheFirstByteOver8KiB() {
    let request = Self.target(length: 8 * 1024 + 1)
    #expect(HTTPParserHarness.whole(Array(request.utf8)).error?.status == 414)
    #expect(HTTPParserHarness.whole(Array(Self.target(length: 8 * 1024).utf8)).error == nil)
  }
}

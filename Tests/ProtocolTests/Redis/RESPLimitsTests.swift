import Testing

@testable import Protocol

@Suite struct RESPLimitsTests {
  static let small = RESPLimits(
    maxBulkLength: 8, maxElementCount: 3, maxDepth: 2, maxLineLength: 10)

  @Test func limitsDefaultsAreTheDocumentedValues() {
    let limits = RESPLimits()
    #expect(limits.maxBulkLength == 64 * 1024 * 1024)
    #expect(limits.maxElementCount == 1_048_576)
    #expect(limits.maxDepth == 32)
    #expect(limits.maxLineLength == 64 * 1024)
  }

  static let accepted: [(String, String)] = [
    ("bulk at the limit", "$8\r\n12345678\r\n"),
    ("aggregate at the limit", "*3\r\n:1\r\n:2\r\n:3\r\n"),
    ("map at the limit in pairs", "%3\r\n:1\r\n:1\r\n:2\r\n:2\r\n:3\r\n:3\r\n"),
    ("depth at the limit", "*1\r\n*1\r\n:1\r\n"),
    ("line at the limit", "+0123456789\r\n"),
  ]

  @Test(arguments: accepted)
  func decoderAcceptsValueAtTheLimit(name: String, text: String) {
    for outcome in RESPDripFeed.everySplit(
      Array(text.utf8), decoder: RESPDecoder(limits: Self.small))
    {
      #expect(outcome.error == nil)
      #expect(outcome.values.count == 1)
    }
  }

  // Only the header is given: the limit fails before the payload is waited for.
  static let rejected: [(String, String, String)] = [
    ("bulk over the limit", "$9\r\n", "RESP bulk string of 9 bytes exceeds the limit of 8"),
    ("blob error over the limit", "!9\r\n", "RESP bulk string of 9 bytes exceeds the limit of 8"),
    ("array over the limit", "*4\r\n", "RESP aggregate of 4 elements exceeds the limit of 3"),
    ("map over the limit", "%4\r\n", "RESP aggregate of 4 elements exceeds the limit of 3"),
    ("push over the limit", ">4\r\n", "RESP aggregate of 4 elements exceeds the limit of 3"),
    ("attribute over the limit", "|4\r\n", "RESP aggregate of 4 elements exceeds the limit of 3"),
    ("depth over the limit", "*1\r\n*1\r\n*1\r\n", "RESP value nests deeper than 2 aggregates"),
    ("empty aggregate too deep", "*1\r\n~1\r\n%0\r\n", "RESP value nests deeper than 2 aggregates"),
    (
      "attribute counts as depth", "*1\r\n*1\r\n|1\r\n", "RESP value nests deeper than 2 aggregates"
    ),
    ("line over the limit without CRLF", "+0123456789A", "RESP line exceeds the limit of 10 bytes"),
    ("length line over the limit", "$00000000001\r\n", "RESP line exceeds the limit of 10 bytes"),
    (
      "length beyond Int", "$99999999999999999999\r\n",
      "RESP line exceeds the limit of 10 bytes"
    ),
  ]

  @Test(arguments: rejected)
  func decoderRejectsOverTheLimitFromTheHeader(name: String, text: String, message: String) {
    for outcome in RESPDripFeed.everySplit(
      Array(text.utf8), decoder: RESPDecoder(limits: Self.small))
    {
      #expect(outcome.error == RESPParseError(.limitExceeded, message))
    }
  }

  @Test func decoderRejectsALengthThatOverflowsInt() {
    let outcome = RESPDripFeed.allAtOnce(Array("*99999999999999999999\r\n".utf8))
    #expect(
      outcome.error
        == RESPParseError(.limitExceeded, "RESP length \"99999999999999999999\" overflows"))
  }
}

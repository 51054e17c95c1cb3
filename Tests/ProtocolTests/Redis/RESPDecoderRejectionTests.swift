import Testing

@testable import Protocol

@Suite struct RESPDecoderRejectionTests {
  static let malformed: [(String, String, String)] = [
    ("unknown type byte", "?x\r\n", "unknown RESP type byte 0x3F"),
    ("inline command", "PING\r\n", "unknown RESP type byte 0x50"),
    ("bare LF", "+OK\n", "RESP line has an LF without CR"),
    ("CR without LF", "+O\rK\r\n", "RESP line has a CR without LF"),
    ("integer with letters", ":12a\r\n", "RESP integer is not a number: \"12a\""),
    ("empty integer", ":\r\n", "RESP integer is not a number: \"\""),
    ("sign-only integer", ":-\r\n", "RESP integer is not a number: \"-\""),
    (
      "integer overflow", ":9223372036854775808\r\n",
      "RESP integer is out of the 64-bit range: \"9223372036854775808\""
    ),
    ("negative bulk length", "$-2\r\n", "RESP length after 0x24 is not a count: \"-2\""),
    ("null map", "%-1\r\n", "RESP length after 0x25 is not a count: \"-1\""),
    ("empty bulk length", "$\r\n", "RESP length after 0x24 is not a count: \"\""),
    ("bulk without CRLF", "$3\r\nabcd\r\n", "RESP bulk string of 3 bytes is not followed by CRLF"),
    ("null with data", "_x\r\n", "RESP null carries data: \"x\""),
    ("boolean other", "#x\r\n", "RESP boolean is neither t nor f: \"x\""),
    ("boolean too long", "#tt\r\n", "RESP boolean is neither t nor f: \"tt\""),
    ("double hex", ",0x10\r\n", "RESP double is not a number: \"0x10\""),
    ("double without integral", ",.5\r\n", "RESP double is not a number: \".5\""),
    ("double with empty fraction", ",1.\r\n", "RESP double is not a number: \"1.\""),
    ("double infinity spelled out", ",infinity\r\n", "RESP double is not a number: \"infinity\""),
    ("big number letters", "(12x\r\n", "RESP big number is not a number: \"12x\""),
    (
      "verbatim without colon", "=4\r\ntxtx\r\n",
      "RESP verbatim string does not start with a format and a colon"
    ),
    (
      "verbatim too short", "=3\r\ntxt\r\n",
      "RESP verbatim string does not start with a format and a colon"
    ),
    ("bad element inside array", "*2\r\n:1\r\n:x\r\n", "RESP integer is not a number: \"x\""),
    ("binary in excerpt", ":\u{01}\r\n", "RESP integer is not a number: \"\\x01\""),
  ]

  @Test(arguments: malformed)
  func decoderRejectsMalformedInput(name: String, text: String, message: String) {
    for outcome in RESPDripFeed.everySplit(Array(text.utf8)) {
      #expect(outcome.error == RESPParseError(.malformed, message))
    }
  }

  @Test(arguments: ["$?\r\n", "*?\r\n", "%?\r\n", "~?\r\n"])
  func decoderRejectsStreamedValuesAsUnsupported(text: String) {
    let outcome = RESPDripFeed.allAtOnce(Array(text.utf8))
    #expect(
      outcome.error == RESPParseError(.unsupported, "streamed RESP3 values are not supported"))
  }

  @Test func decoderKeepsValuesBeforeTheErrorAndThrowsTheErrorAgain() throws {
    var decoder = RESPDecoder()
    var buffer = ByteBuffer(string: "+OK\r\n:x\r\n")
    #expect(try decoder.decode(&buffer) == .simpleString("OK"))
    #expect(throws: RESPParseError.self) { try decoder.decode(&buffer) }
    buffer.writeString("+fine\r\n")
    let error = #expect(throws: RESPParseError.self) { try decoder.decode(&buffer) }
    #expect(error?.message == "RESP integer is not a number: \"x\"")
  }

  @Test func decoderNamesTheLongExcerptWithAnEllipsis() {
    let outcome = RESPDripFeed.allAtOnce(Array(":\(String(repeating: "9", count: 30))x\r\n".utf8))
    #expect(outcome.error?.message.hasSuffix("999…\"") == true)
  }

  @Test func decoderHandlesABufferReadBehindItsBack() throws {
    var decoder = RESPDecoder()
    var buffer = ByteBuffer(string: "*2\r\n:1\r\n")
    #expect(try decoder.decode(&buffer) == nil)
    buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
    buffer.writeString("+OK\r\n")
    #expect(try decoder.decode(&buffer) == .simpleString("OK"))
  }
}

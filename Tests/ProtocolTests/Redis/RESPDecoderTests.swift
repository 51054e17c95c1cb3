import Testing

@testable import Protocol

@Suite struct RESPDecoderTests {
  /// Decodes `text` with every split and expects `values` (and nothing left) each time.
  static func expectDecodes(
    _ bytes: [UInt8], to values: [RESPValue], decoder: RESPDecoder = RESPDecoder(),
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for outcome in RESPDripFeed.everySplit(bytes, decoder: decoder) {
      #expect(outcome == RESPDecodeOutcome(values: values), sourceLocation: sourceLocation)
    }
  }

  static let resp2: [(String, String, RESPValue)] = [
    ("simple string", "+OK\r\n", .simpleString("OK")),
    ("empty simple string", "+\r\n", .simpleString("")),
    ("error", "-ERR unknown command 'FOO'\r\n", .error("ERR unknown command 'FOO'")),
    ("integer", ":1000\r\n", .integer(1000)),
    ("negative integer", ":-42\r\n", .integer(-42)),
    ("plus-signed integer", ":+7\r\n", .integer(7)),
    ("largest integer", ":9223372036854775807\r\n", .integer(.max)),
    ("smallest integer", ":-9223372036854775808\r\n", .integer(.min)),
    ("bulk string", "$5\r\nhello\r\n", .bulkString(Array("hello".utf8))),
    ("empty bulk string", "$0\r\n\r\n", .bulkString([])),
    ("bulk string holding CRLF", "$4\r\na\r\nb\r\n", .bulkString(Array("a\r\nb".utf8))),
    ("null bulk string", "$-1\r\n", .null),
    ("null array", "*-1\r\n", .null),
    ("empty array", "*0\r\n", .array([])),
    (
      "array of mixed", "*3\r\n:1\r\n$3\r\nfoo\r\n+bar\r\n",
      .array([.integer(1), .bulkString(Array("foo".utf8)), .simpleString("bar")])
    ),
    (
      "nested arrays with null", "*2\r\n*1\r\n:1\r\n*2\r\n$-1\r\n-E\r\n",
      .array([.array([.integer(1)]), .array([.null, .error("E")])])
    ),
  ]

  @Test(arguments: resp2)
  func decoderReadsRESP2Value(name: String, text: String, expected: RESPValue) {
    Self.expectDecodes(Array(text.utf8), to: [expected])
  }

  static let resp3: [(String, String, RESPValue)] = [
    ("null", "_\r\n", .null),
    ("double", ",3.25\r\n", .double(3.25)),
    ("double with exponent", ",-1.5e-3\r\n", .double(-0.0015)),
    ("integral double", ",10\r\n", .double(10)),
    ("infinity", ",inf\r\n", .double(.infinity)),
    ("negative infinity", ",-inf\r\n", .double(-.infinity)),
    ("true", "#t\r\n", .boolean(true)),
    ("false", "#f\r\n", .boolean(false)),
    (
      "big number", "(3492890328409238509324850943850943825024385\r\n",
      .bigNumber("3492890328409238509324850943850943825024385")
    ),
    ("blob error", "!21\r\nSYNTAX invalid syntax\r\n", .error("SYNTAX invalid syntax")),
    (
      "verbatim string", "=15\r\ntxt:Some string\r\n",
      .verbatimString(format: "txt", text: Array("Some string".utf8))
    ),
    (
      "map", "%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n",
      .map([
        .init(key: .simpleString("first"), value: .integer(1)),
        .init(key: .simpleString("second"), value: .integer(2)),
      ])
    ),
    ("empty map", "%0\r\n", .map([])),
    ("set", "~2\r\n+a\r\n+b\r\n", .set([.simpleString("a"), .simpleString("b")])),
    (
      "push", ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n",
      .push([
        .bulkString(Array("message".utf8)), .bulkString(Array("ch".utf8)),
        .bulkString(Array("hi".utf8)),
      ])
    ),
    (
      "attribute before a value", "|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n:42\r\n",
      .integer(42)
    ),
    (
      "attribute inside an array", "*2\r\n:1\r\n|1\r\n+ttl\r\n:3600\r\n:2\r\n",
      .array([.integer(1), .integer(2)])
    ),
    ("empty attribute", "|0\r\n+OK\r\n", .simpleString("OK")),
  ]

  @Test(arguments: resp3)
  func decoderReadsRESP3Value(name: String, text: String, expected: RESPValue) {
    Self.expectDecodes(Array(text.utf8), to: [expected])
  }

  @Test func decoderReadsNaNDouble() throws {
    var decoder = RESPDecoder()
    var buffer = ByteBuffer(string: ",nan\r\n")
    guard case .double(let number) = try decoder.decode(&buffer) else {
      Issue.record("not a double")
      return
    }
    #expect(number.isNaN)
  }

  @Test func decoderKeepsBulkStringBytesExactly() {
    let payload = (0..<256).map { UInt8($0) }
    let bytes = Array("$256\r\n".utf8) + payload + Array("\r\n".utf8)
    Self.expectDecodes(bytes, to: [.bulkString(payload)])
  }

  @Test func decoderReadsPipelinedRepliesInOrder() {
    var bytes: [UInt8] = []
    var expected: [RESPValue] = []
    for index in 0..<200 {
      bytes += Array("$\(String(index).utf8.count)\r\n\(index)\r\n+OK\r\n".utf8)
      expected += [.bulkString(Array(String(index).utf8)), .simpleString("OK")]
    }
    Self.expectDecodes(bytes, to: expected)
  }

  @Test func decoderConsumesNothingOfAnIncompleteValue() throws {
    var decoder = RESPDecoder()
    var buffer = ByteBuffer(string: "+OK\r\n*2\r\n:1\r\n$3\r\nab")
    #expect(try decoder.decode(&buffer) == .simpleString("OK"))
    let before = buffer.readableBytes
    #expect(try decoder.decode(&buffer) == nil)
    #expect(buffer.readableBytes == before)
    buffer.discardReadBytes()
    buffer.writeString("c\r\n")
    #expect(try decoder.decode(&buffer) == .array([.integer(1), .bulkString(Array("abc".utf8))]))
    #expect(buffer.readableBytes == 0)
  }

  @Test func decoderLeavesATrailingPartialValueUnconsumed() {
    let outcome = RESPDripFeed.allAtOnce(Array("+OK\r\n$10\r\nabc".utf8))
    #expect(outcome == RESPDecodeOutcome(values: [.simpleString("OK")], unconsumedBytes: 8))
  }

  @Test func decoderReadsAPushBetweenReplies() {
    let bytes = Array(">2\r\n+invalidate\r\n*1\r\n$1\r\nk\r\n:1\r\n".utf8)
    Self.expectDecodes(
      bytes,
      to: [.push([.simpleString("invalidate"), .array([.bulkString([0x6B])])]), .integer(1)])
  }

  @Test func decoderReadsXReadShapedReplyFourDeep() {
    let text =
      "*1\r\n*2\r\n$6\r\nstream\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n"
    let entry = RESPValue.array([
      .bulkString(Array("1-0".utf8)), .array([.bulkString([0x66]), .bulkString([0x76])]),
    ])
    Self.expectDecodes(
      Array(text.utf8),
      to: [.array([.array([.bulkString(Array("stream".utf8)), .array([entry])])])])
  }
}

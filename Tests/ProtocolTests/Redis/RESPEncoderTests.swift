import Testing

@testable import Protocol

@Suite struct RESPEncoderTests {
  @Test func encoderWritesCommandAsArrayOfBulkStrings() {
    var buffer: [UInt8] = []
    RESPEncoder.encodeCommand(["SET", "k", "v"], into: &buffer)
    #expect(buffer == Array("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n".utf8))
  }

  @Test func encoderWritesBinaryAndUTF8ArgumentsByByteCount() {
    var buffer: [UInt8] = []
    RESPEncoder.encodeCommand([Array("SET".utf8), [0x00, 0x0D, 0x0A, 0xFF]], into: &buffer)
    RESPEncoder.encodeCommand(["GET", "é"], into: &buffer)
    #expect(
      buffer
        == Array("*2\r\n$3\r\nSET\r\n$4\r\n".utf8) + [0x00, 0x0D, 0x0A, 0xFF]
        + Array("\r\n*2\r\n$3\r\nGET\r\n$2\r\né\r\n".utf8))
  }

  @Test func encoderWritesEmptyCommand() {
    var buffer: [UInt8] = [0x41]
    RESPEncoder.encodeCommand([String](), into: &buffer)
    #expect(buffer == Array("A*0\r\n".utf8))
  }

  static let values: [(RESPValue, String)] = [
    (.simpleString("OK"), "+OK\r\n"),
    (.error("ERR x"), "-ERR x\r\n"),
    (.error("ERR\r\nx"), "!6\r\nERR\r\nx\r\n"),
    (.integer(-12), ":-12\r\n"),
    (.bulkString(Array("hi".utf8)), "$2\r\nhi\r\n"),
    (.null, "_\r\n"),
    (.array([.integer(1), .null]), "*2\r\n:1\r\n_\r\n"),
    (.map([.init(key: .simpleString("a"), value: .boolean(true))]), "%1\r\n+a\r\n#t\r\n"),
    (.set([.boolean(false)]), "~1\r\n#f\r\n"),
    (.push([.simpleString("pong")]), ">1\r\n+pong\r\n"),
    (.double(1.5), ",1.5\r\n"),
    (.double(1e20), ",1e+20\r\n"),
    (.double(-.infinity), ",-inf\r\n"),
    (.double(.nan), ",nan\r\n"),
    (.bigNumber("-123456789012345678901234567890"), "(-123456789012345678901234567890\r\n"),
    (.verbatimString(format: "mkd", text: Array("# a".utf8)), "=7\r\nmkd:# a\r\n"),
    (.verbatimString(format: "toolong", text: []), "=4\r\ntxt:\r\n"),
    (.simpleString("a\r\nb"), "+a  b\r\n"),
  ]

  @Test(arguments: values)
  func encoderWritesValue(value: RESPValue, text: String) {
    var buffer: [UInt8] = []
    RESPEncoder.encode(value, into: &buffer)
    #expect(buffer == Array(text.utf8))
  }

  static let roundTrips: [RESPValue] = [
    .simpleString("héllo"), .error("WRONGTYPE Operation"), .error("multi\nline"),
    .integer(.min), .integer(.max), .bulkString((0..<300).map { UInt8($0 % 256) }),
    .bulkString([]), .null, .array([]), .double(-0.0), .double(.leastNonzeroMagnitude),
    .double(.greatestFiniteMagnitude), .double(0.1), .boolean(true), .bigNumber("+1"),
    .verbatimString(format: "txt", text: [0x0D, 0x0A]),
    .array([.map([.init(key: .array([.null]), value: .set([.double(2.5)]))]), .push([])]),
  ]

  @Test(arguments: roundTrips)
  func encoderOutputDecodesToTheSameValue(value: RESPValue) {
    var bytes: [UInt8] = []
    RESPEncoder.encode(value, into: &bytes)
    RESPDecoderTests.expectDecodes(bytes, to: [value])
  }

  @Test func encodedCommandDecodesAsArrayOfBulkStrings() {
    var bytes: [UInt8] = []
    RESPEncoder.encodeCommand(["HSET", "h", "f", ""], into: &bytes)
    RESPDecoderTests.expectDecodes(
      bytes, to: [.array(["HSET", "h", "f", ""].map { .bulkString(Array($0.utf8)) })])
  }
}

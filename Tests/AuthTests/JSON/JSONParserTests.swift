import Testing

@testable import Auth

@Suite("JSONParser")
struct JSONParserTests {
  private func parse(_ text: String) -> JSONValue? {
    JSONParser.parse(Array(text.utf8))
  }

  private static func number(_ text: String, _ value: Double, integer: Bool) -> JSONValue {
    .number(JSONNumber(text: text, value: value, isIntegerLiteral: integer))
  }

  static let accepted: [(String, JSONValue)] = [
    ("null", .null),
    (" true ", .bool(true)),
    ("false", .bool(false)),
    ("0", number("0", 0, integer: true)),
    ("-12", number("-12", -12, integer: true)),
    ("1.5e3", number("1.5e3", 1500, integer: false)),
    ("2E-1", number("2E-1", 0.2, integer: false)),
    (
      "12345678901234567890",
      number("12345678901234567890", Double("12345678901234567890") ?? 0, integer: true)
    ),
    (#""""#, .string("")),
    (#""a\"b\\c\/d\b\f\n\r\t""#, .string("a\"b\\c/d\u{8}\u{C}\n\r\t")),
    (#""\u00e9\u20AC""#, .string("é€")),
    (#""\ud83d\ude00""#, .string("😀")),
    ("\"é😀\"", .string("é😀")),
    ("[]", .array([])),
    (
      "[1,[true],{}]", .array([number("1", 1, integer: true), .array([.bool(true)]), .object([:])])
    ),
    (#"{"a":{"b":null}}"#, .object(["a": .object(["b": .null])])),
    ("\t\n\r {  \"k\" :\n\"v\" } \n", .object(["k": .string("v")])),
  ]

  @Test("well-formed JSON parses to the expected value", arguments: accepted)
  func accepts(text: String, value: JSONValue) {
    #expect(parse(text) == value)
  }

  static let refused: [String] = [
    "", " ", "nul", "tru", "True", "NaN", "Infinity", "undefined",
    "01", "-", "+1", "1.", ".5", "1e", "1e+", "-01", "0x10", "1e400", "-1e400",
    "\"", "\"abc", #""\x""#, #""\u12""#, #""\u12G4""#, #""\ud83d""#, #""\ud83dx""#,
    #""\ude00""#, #""\ud83d\u0041""#, "\"a\u{1}b\"", "\"tab\there\"",
    "[", "[1,]", "[,1]", "[1 2]", "{", "{}}", #"{"a"}"#, #"{"a":}"#, #"{"a":1,}"#,
    #"{a:1}"#, #"{'a':1}"#, #"{"a":1 "b":2}"#, #"{"a":1,"a":2}"#, "1 2", "[] x", "// c\n1",
  ]

  @Test("malformed JSON is refused", arguments: refused)
  func refuses(text: String) {
    #expect(parse(text) == nil)
  }

  @Test("invalid UTF-8 inside a string is refused, escaped or not")
  func invalidUTF8() {
    let quote = UInt8(ascii: "\"")
    #expect(JSONParser.parse([quote, 0xC3, quote]) == nil)
    #expect(JSONParser.parse([quote, 0xFF, quote]) == nil)
    #expect(JSONParser.parse([quote, 0x5C, 0x6E, 0xED, 0xA0, 0x80, quote]) == nil)
    #expect(JSONParser.parse([quote, 0xC3, 0xA9, quote]) == .string("é"))
  }

  @Test("nesting is bounded at 32 levels")
  func depthLimit() {
    let ok = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
    let deep = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
    #expect(parse(ok) != nil)
    #expect(parse(deep) == nil)
    #expect(parse(String(repeating: "[", count: 100_000)) == nil)
    let objects = String(repeating: #"{"a":"#, count: 33) + "1" + String(repeating: "}", count: 33)
    #expect(parse(objects) == nil)
  }
}

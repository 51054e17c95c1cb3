import Testing

@testable import Auth

@Suite("JSONValue")
struct JSONValueTests {
  @Test(
    "integerText writes whole numbers without .0 and refuses fractions",
    arguments: [
      ("42", "42"), ("-7", "-7"), ("-0", "0"), ("42.0", "42"), ("4.2e1", "42"), ("1e3", "1000"),
      ("-2.0E0", "-2"), ("12345678901234567890", "12345678901234567890"),
      ("9007199254740992.0", "9007199254740992"),
      ("1.5", nil), ("1e-3", nil), ("1e300", nil), ("9007199254740994.0", nil),
    ] as [(String, String?)])
  func integerText(text: String, expected: String?) throws {
    let value = try #require(JSONParser.parse(Array(text.utf8)))
    guard case .number(let number) = value else {
      Issue.record("\(text) is not a number")
      return
    }
    #expect(number.integerText == expected)
  }

  @Test("accessors answer only for their own case; a bool is never a number")
  func accessors() {
    #expect(JSONValue.bool(true).number == nil)
    #expect(JSONValue.bool(true).string == nil)
    #expect(JSONValue.string("1").number == nil)
    #expect(JSONValue.null.object == nil)
    #expect(JSONValue.array([]).array == [])
    #expect(JSONValue.object(["a": .null]).object == ["a": .null])
  }
}

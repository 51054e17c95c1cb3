import Testing

@testable import Protocol

@Suite struct JSONWriterTests {
  @Test func escapesEveryASCIICharacterLikeJSONStringify() {
    let allASCII = String(decoding: (0..<0x80).map { UInt8($0) }, as: UTF8.self)
    // Node.js 20: JSON.stringify(String.fromCharCode(0, 1, ..., 127)).
    let expected =
      ##""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"##
      + ##"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c"##
      + ##"\u001d\u001e\u001f !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ"##
      + ##"[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"## + "\u{7F}\""
    #expect(JSONWriter.string(.string(allASCII)) == expected)
  }

  @Test(arguments: [
    ("é中😀\u{2028}\u{A0}/", "\"é中😀\u{2028}\u{A0}/\""),
    ("https://example.com/a", #""https://example.com/a""#),
    ("", #""""#),
    ("a\"b\\c", #""a\"b\\c""#),
    ("\u{0}", #""\u0000""#),
    ("\u{1F}x\u{1F}", #""\u001fx\u001f""#),
    ("line1\r\nline2", #""line1\r\nline2""#),
  ])
  func writesStringsWithOnlyTheEscapesJSONStringifyUses(string: String, expected: String) {
    #expect(JSONWriter.string(.string(string)) == expected)
    var output = Array("x".utf8)
    JSONWriter.writeString(string, into: &output)
    #expect(output == Array(("x" + expected).utf8))
  }

  @Test func writesStructuresWithoutSpaces() {
    let value: JSONValue = [
      "hey", 1, -0.5, true, false, .null, [], [:], ["a": ["b": [1, 2]], "c": "d"],
    ]
    #expect(
      JSONWriter.string(value) == #"["hey",1,-0.5,true,false,null,[],{},{"a":{"b":[1,2]},"c":"d"}]"#
    )
  }

  @Test func writesNonFiniteNumbersAsNullAndNegativeZeroAsZero() {
    let value: JSONValue = [.number(.nan), .number(.infinity), .number(-.infinity), .number(-0.0)]
    #expect(JSONWriter.string(value) == "[null,null,null,0]")
  }

  @Test func writesObjectKeysInJavaScriptOrder() {
    var object = JSONObject()
    for (key, value) in [("b", 1), ("2", 0), ("a", 2), ("1", 3)] {
      object[key] = .number(Double(value))
    }
    #expect(JSONWriter.string(.object(object)) == #"{"1":3,"2":0,"b":1,"a":2}"#)
    #expect(JSONValue.object(object).description == #"{"1":3,"2":0,"b":1,"a":2}"#)
  }

  @Test func appendsToExistingOutput() {
    var output = Array("42".utf8)
    JSONWriter.write(["x", ["k": .null]], into: &output)
    #expect(String(decoding: output, as: UTF8.self) == #"42["x",{"k":null}]"#)
  }
}

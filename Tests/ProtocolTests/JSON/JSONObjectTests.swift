import Testing

@testable import Protocol

@Suite struct JSONObjectTests {
  /// Keys set in this order -> keys in JavaScript's order (checked in Node.js 20).
  static let orders: [([String], [String])] = [
    (["b", "2", "a", "1"], ["1", "2", "b", "a"]),
    (["10", "9", "x", "100"], ["9", "10", "100", "x"]),
    (
      ["01", "1", "-1", "4294967295", "4294967294", "1.0", "0"],
      ["0", "1", "4294967294", "01", "-1", "4294967295", "1.0"]
    ),
    (["z", "y", "x"], ["z", "y", "x"]),
    (["3", "2", "1", "0"], ["0", "1", "2", "3"]),
  ]

  @Test(arguments: orders)
  func ordersArrayIndexKeysFirstThenInsertionOrder(inserted: [String], expected: [String]) {
    var object = JSONObject()
    for key in inserted { object[key] = .null }
    #expect(object.keys == expected)
    #expect(JSONObject(inserted.map { ($0, JSONValue.null) }).keys == expected)
  }

  @Test func duplicateKeysKeepTheFirstPositionAndTheLastValue() {
    let object = JSONObject([("a", 1), ("b", 2), ("a", 3)])
    #expect(object.keys == ["a", "b"])
    #expect(object["a"] == 3)
    var mutated = object
    mutated["a"] = 4
    #expect(mutated.keys == ["a", "b"])
    #expect(mutated["a"] == 4)
  }

  @Test(arguments: [5, 13, 40])
  func largeAndSmallObjectsLookUpSetAndRemove(count: Int) {
    var object = JSONObject()
    for index in 0..<count { object["k\(index)"] = .number(Double(index)) }
    object["7"] = "index"
    #expect(object.count == count + 1)
    #expect(object.keys.first == "7")
    for index in 0..<count { #expect(object["k\(index)"] == .number(Double(index))) }
    object["k1"] = nil
    object["7"] = nil
    object["missing"] = nil
    #expect(object.count == count - 1)
    #expect(object["k1"] == nil)
    #expect(object["k\(count - 1)"] == .number(Double(count - 1)))
    #expect(object.keys == (0..<count).filter { $0 != 1 }.map { "k\($0)" })
  }

  @Test func largeObjectsWithDuplicatesAndIndexKeysMatchJavaScript() throws {
    var pairs: [(String, JSONValue)] = (0..<20).map { ("k\($0)", .number(Double($0))) }
    pairs.append(("k3", "again"))
    pairs.append(("5", "five"))
    pairs.append(("0", "zero"))
    let object = JSONObject(pairs)
    #expect(object.count == 22)
    #expect(Array(object.keys.prefix(4)) == ["0", "5", "k0", "k1"])
    #expect(object["k3"] == "again")
    let text = JSONWriter.string(.object(object))
    #expect(try JSONParser.parse(text) == .object(object))
  }

  @Test func equalityDependsOnOrderAndIteratesPairsInOrder() {
    let ab = JSONObject([("a", 1), ("b", 2)])
    let ba = JSONObject([("b", 2), ("a", 1)])
    #expect(ab != ba)
    #expect(ab == ["a": 1, "b": 2])
    #expect(ab.map(\.key) == ["a", "b"])
    #expect(ab.map(\.value) == [1, 2])
    #expect(ab.values == [1, 2])
    #expect(JSONObject().isEmpty)
  }

  @Test(arguments: [
    ("0", UInt32(0)), ("1", 1), ("42", 42), ("4294967294", 4_294_967_294), ("4294967295", nil),
    ("01", nil), ("-1", nil), ("1.0", nil), ("", nil), ("1a", nil), ("99999999999", nil),
    ("٣", nil),
  ])
  func recognisesCanonicalArrayIndexKeys(key: String, expected: UInt32?) {
    #expect(JSONObject.arrayIndex(of: key) == expected)
  }

  /// Regression: keys were compared with Swift's `String ==` (canonical equivalence), so
  /// `"\u00e9"` and `"e\u0301"` were one key and `{"\u00e9":1,"e\u0301":2}` became
  /// `{"é":2}`; `JSON.parse` keeps two keys (checked in Node.js: `{"é":1,"é":2}`).
  @Test(arguments: [2, 20])
  func canonicallyEquivalentKeysStayDistinct(padding: Int) throws {
    let others = (0..<padding).map { #""k\#($0)":0,"# }.joined()
    let text = "{" + others + #""\u00e9":1,"e\u0301":2}"#
    let value = try JSONParser.parse(text)
    guard case .object(let object) = value else {
      Issue.record("not an object")
      return
    }
    #expect(object.count == padding + 2)
    #expect(object["\u{E9}"] == 1)
    #expect(object["e\u{301}"] == 2)
    #expect(JSONWriter.string(value).hasSuffix("\"\u{E9}\":1,\"e\u{301}\":2}"))
    var mutated = object
    mutated["e\u{301}"] = nil
    #expect(mutated["\u{E9}"] == 1 && mutated.count == padding + 1)
  }

  @Test func objectsWithCanonicallyEquivalentKeysAreNotEqual() {
    #expect(JSONObject([("\u{E9}", 1)]) != JSONObject([("e\u{301}", 1)]))
    #expect(JSONObject([("\u{E9}", 1)]) == JSONObject([("\u{E9}", 1)]))
  }
}

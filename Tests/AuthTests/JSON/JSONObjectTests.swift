import Testing

@testable import Auth

@Suite("JSONObject")
struct JSONObjectTests {
  /// `insert`, callable inside `#expect` (which cannot take a mutating call).
  private func insert(_ object: inout JSONObject, _ name: String, _ value: JSONValue) -> Bool {
    object.insert(name, value)
  }

  @Test("members keep source order and are found by exact name")
  func lookup() {
    var object = JSONObject()
    #expect(insert(&object, "b", .null))
    #expect(insert(&object, "a", .bool(true)))
    #expect(object.members.map(\.name) == ["b", "a"])
    #expect(object["a"] == .bool(true))
    #expect(object["A"] == nil)
  }

  @Test(
    "a duplicate name is refused whether the object is small or large",
    arguments: [1, 15, 16, 17, 1000])
  func duplicates(size: Int) {
    var object = JSONObject()
    for index in 0..<size {
      #expect(insert(&object, "m\(index)", .null))
    }
    #expect(!insert(&object, "m0", .bool(true)))
    #expect(!insert(&object, "m\(size - 1)", .bool(true)))
    #expect(insert(&object, "new", .null))
    #expect(!insert(&object, "new", .null))
    #expect(object.members.count == size + 1)
    #expect(object["m0"] == .null)
  }

  @Test("equality compares members in order")
  func equality() {
    #expect(JSONObject(dictionaryLiteral: ("a", .null), ("b", .null)) == ["a": .null, "b": .null])
    #expect(JSONObject(dictionaryLiteral: ("a", .null), ("b", .null)) != ["b": .null, "a": .null])
    #expect(JSONObject() != ["a": .null])
  }
}

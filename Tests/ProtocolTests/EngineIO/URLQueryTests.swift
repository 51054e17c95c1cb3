import Testing

@testable import Protocol

@Suite struct URLQueryTests {
  @Test func queryReadsEngineIOParameters() {
    let query = URLQuery("EIO=4&transport=polling&t=N8hyd6w&sid=lv_VI97HAXpY6yYWAAAC")
    #expect(query["EIO"] == "4")
    #expect(query["transport"] == "polling")
    #expect(query["t"] == "N8hyd6w")
    #expect(query["sid"] == "lv_VI97HAXpY6yYWAAAC")
    #expect(query["missing"] == nil)
    #expect(query["eio"] == nil)
  }

  // Expected values are what `new URLSearchParams(q).get(name)` returns in Node.
  static let decoding: [(String, String, String?)] = [
    ("a=1&a=2", "a", "1"), ("a", "a", ""), ("a=", "a", ""), ("=x", "", "x"),
    ("&&a=1&&", "a", "1"), ("a=1=2", "a", "1=2"), ("?a=1", "a", "1"), ("??a=1", "?a", "1"),
    ("a=b+c", "a", "b c"), ("a=%2B", "a", "+"), ("a=%41%42", "a", "AB"), ("a=%c3%A9", "a", "é"),
    ("a=%zz", "a", "%zz"), ("a=%4", "a", "%4"), ("a=%", "a", "%"), ("a=%%41", "a", "%A"),
    ("a=%FF", "a", "\u{FFFD}"), ("a=%C3", "a", "\u{FFFD}"), ("%45IO=4", "EIO", "4"),
    ("a+b=1", "a b", "1"), ("a=%00", "a", "\u{0}"), ("a=é", "a", "é"), ("", "a", nil),
  ]

  @Test(arguments: decoding)
  func queryDecodesLikeURLSearchParams(query: String, name: String, expected: String?) {
    #expect(URLQuery(query)[name] == expected)
  }

  @Test func queryKeepsEveryItemInOrder() {
    let query = URLQuery("b=2&a=1&b=3&c")
    #expect(
      query.items == [
        .init(name: "b", value: "2"), .init(name: "a", value: "1"), .init(name: "b", value: "3"),
        .init(name: "c", value: ""),
      ])
    #expect(query.values(for: "b") == ["2", "3"])
  }

  @Test func queryIsTotalOnSeededRandomInput() {
    var random = SeededRandom(seed: 99)
    let alphabet: [Character] = ["%", "&", "=", "+", "a", "4", "F", "z", "é", "?"]
    for _ in 0..<2000 {
      let text = String(
        (0..<Int.random(in: 0...16, using: &random)).map { _ in
          alphabet.randomElement(using: &random) ?? "a"
        })
      let query = URLQuery(text)
      #expect(query.items.count <= text.utf8.count)
      #expect(
        query.items.allSatisfy { $0.name.utf8.count + $0.value.utf8.count <= 3 * text.utf8.count })
    }
  }
}

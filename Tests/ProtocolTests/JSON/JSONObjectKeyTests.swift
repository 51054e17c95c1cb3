import Testing

@testable import Protocol

@Suite struct JSONObjectKeyTests {
  /// Pairs Swift's `String ==` calls equal, and whether JavaScript sees one key.
  static let pairs: [(String, String, Bool)] = [
    ("a", "a", true),
    ("", "", true),
    ("\u{E9}", "e\u{301}", false),
    ("\u{212B}", "\u{C5}", false),
    ("\u{1F600}", "\u{1F600}", true),
    ("ab", "a", false),
  ]

  @Test(arguments: pairs)
  func keysAreTheSameOnlyWhenTheirCodeUnitsAre(lhs: String, rhs: String, same: Bool) {
    #expect(JSONObjectKey.same(lhs, rhs) == same)
    #expect((JSONObjectKey(lhs) == JSONObjectKey(rhs)) == same)
    if same { #expect(JSONObjectKey(lhs).hashValue == JSONObjectKey(rhs).hashValue) }
    #expect(Set([JSONObjectKey(lhs), JSONObjectKey(rhs)]).count == (same ? 1 : 2))
  }
}

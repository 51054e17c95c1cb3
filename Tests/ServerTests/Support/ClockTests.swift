import Testing

@testable import Server

@Suite struct ISOTimestampTests {
  static let cases: [(Int64, String)] = [
    (0, "1970-01-01T00:00:00.000Z"),
    (1_770_458_400_000, "2026-02-07T10:00:00.000Z"),
    (951_782_400_123, "2000-02-29T00:00:00.123Z"),
    (4_102_444_799_999, "2099-12-31T23:59:59.999Z"),
    (-1, "1969-12-31T23:59:59.999Z"),
  ]

  @Test(arguments: cases)
  func formatsLikeJavaScriptsToISOString(milliseconds: Int64, expected: String) {
    #expect(ISOTimestamp.string(fromUnixMilliseconds: milliseconds) == expected)
  }
}

@Suite struct RandomIDTests {
  @Test func idsAreTwentyURLSafeCharactersAndDistinct() {
    let ids = (0..<1000).map { _ in RandomID.make() }
    #expect(Set(ids).count == 1000)
    for id in ids {
      #expect(id.count == 20)
      #expect(id.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    }
  }
}

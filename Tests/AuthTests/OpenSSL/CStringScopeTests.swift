import Testing

@testable import Auth

@Suite("withCStrings")
struct CStringScopeTests {
  @Test(
    "every string arrives NUL-terminated and in order",
    arguments: [[String](), ["n"], ["group", "P-256", "pub"], ["", "é"]])
  func roundTrip(strings: [String]) {
    let seen = withCStrings(strings) { pointers in pointers.map { String(cString: $0) } }
    #expect(seen == strings)
  }
}

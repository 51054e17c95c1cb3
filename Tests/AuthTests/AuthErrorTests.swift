import Testing

@testable import Auth

@Suite("AuthError")
struct AuthErrorTests {
  @Test("description is the reason code, then the detail")
  func description() {
    let error = AuthError(reason: .expired, detail: "Token expired.")
    #expect(error.description == "expired: Token expired.")
    #expect(error == AuthError(reason: .expired, detail: "Token expired."))
    #expect(error != AuthError(reason: .notYetValid, detail: "Token expired."))
  }
}

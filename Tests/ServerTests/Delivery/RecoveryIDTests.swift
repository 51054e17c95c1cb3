import Auth
import Testing

@testable import Server

@Suite struct RecoveryIDTests {
  let authenticator = MessageAuthenticator(
    secret: Array("a-secret-of-at-least-32-bytes-long!!".utf8))

  @Test func aPidRoundTripsForItsUserOnly() {
    let id = RecoveryID(socketID: "sock_-ID", position: LogOffset(epoch: "Ep-_q", sequence: 42))
    let pid = id.encoded(for: "alice", with: authenticator)
    #expect(RecoveryID(verifying: pid, userID: "alice", with: authenticator) == id)
    #expect(RecoveryID(verifying: pid, userID: "mallory", with: authenticator) == nil)
    let other = MessageAuthenticator(secret: Array("another-secret-of-32-bytes-or-more!!".utf8))
    #expect(RecoveryID(verifying: pid, userID: "alice", with: other) == nil)
  }

  @Test(arguments: ["", "a.b.c", "s.E.x.MAC", "s.E.-1.MAC", String(repeating: "x", count: 300)])
  func malformedPidsAreRefused(_ text: String) {
    #expect(RecoveryID(verifying: text, userID: "alice", with: authenticator) == nil)
  }

  @Test func aTamperedPositionFailsTheCheck() {
    let pid = RecoveryID(socketID: "s", position: LogOffset(epoch: "E", sequence: 1))
      .encoded(for: "alice", with: authenticator)
    let tampered = pid.replacingOccurrences(of: "s.E.1.", with: "s.E.0.")
    #expect(tampered != pid)
    #expect(RecoveryID(verifying: tampered, userID: "alice", with: authenticator) == nil)
  }

  @Test(arguments: [
    ("Kk6yM_tD8oJB.1", LogOffset(epoch: "Kk6yM_tD8oJB", sequence: 1)),
    ("a.b.7", LogOffset(epoch: "a.b", sequence: 7)),
  ])
  func offsetsParse(_ text: String, _ expected: LogOffset) {
    #expect(LogOffset(parsing: text) == expected)
  }

  @Test(arguments: ["", "nodot", ".5", "E.", "E.-3", "E.x"])
  func badOffsetsDoNotParse(_ text: String) {
    #expect(LogOffset(parsing: text) == nil)
  }
}

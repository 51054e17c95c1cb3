import Testing

@testable import Server

@Suite struct PresenceStateTests {
  private let second: Int64 = 1_000_000_000

  @Test func aTransitionIsPublishedOnlyAfterItHeldForTheGrace() {
    var state = PresenceState(graceNanoseconds: 5 * second)
    #expect(state.changed("u", online: true, now: 0, wallClock: 1000) == 5 * second)
    #expect(state.tick(now: 4 * second).transitions.isEmpty)
    let published = state.tick(now: 5 * second).transitions
    #expect(published == [.init(userID: "u", online: true, lastSeen: nil)])
    #expect(state.presence(of: "u").online)
  }

  @Test func aReconnectInsideTheGraceIsInvisible() {
    var state = PresenceState(graceNanoseconds: 5 * second)
    _ = state.changed("u", online: true, now: 0, wallClock: 0)
    _ = state.tick(now: 5 * second)
    _ = state.changed("u", online: false, now: 6 * second, wallClock: 6000)
    #expect(state.changed("u", online: true, now: 7 * second, wallClock: 7000) == nil)
    #expect(state.tick(now: 20 * second).transitions.isEmpty)
    #expect(state.presence(of: "u") == (true, nil))
  }

  @Test func goingOfflineRecordsWhenTheLastSocketLeft() {
    var state = PresenceState(graceNanoseconds: second)
    _ = state.changed("u", online: true, now: 0, wallClock: 0)
    _ = state.tick(now: second)
    _ = state.changed("u", online: false, now: 2 * second, wallClock: 42_000)
    let (transitions, next) = state.tick(now: 3 * second)
    #expect(transitions == [.init(userID: "u", online: false, lastSeen: 42_000)])
    #expect(next == nil)
    #expect(state.presence(of: "u") == (false, 42_000))
    #expect(state.presence(of: "never") == (false, nil))
  }

  @Test func theNextDeadlineIsTheEarliestPendingOne() {
    var state = PresenceState(graceNanoseconds: 5 * second)
    _ = state.changed("a", online: true, now: 0, wallClock: 0)
    _ = state.changed("b", online: true, now: 2 * second, wallClock: 0)
    let (transitions, next) = state.tick(now: 5 * second)
    #expect(transitions.map(\.userID) == ["a"])
    #expect(next == 7 * second)
  }

  @Test func usersWhoCameAndWentInsideTheGraceAreForgotten() {
    var state = PresenceState(graceNanoseconds: 5 * second)
    for index in 0..<10_000 {
      _ = state.changed("u\(index)", online: true, now: 0, wallClock: 0)
      _ = state.changed("u\(index)", online: false, now: 1, wallClock: 1)
    }
    #expect(state.counts == (0, 0))
  }
}

import Testing

@testable import Server

@Suite struct SessionTimersTests {
  let ms: Int64 = 1_000_000

  @Test func pingsOneIntervalAfterOpenThenClosesWithoutAPong() {
    var timers = SessionTimers(
      now: 0, pingInterval: 300 * ms, pingTimeout: 200 * ms, connectTimeout: nil)
    #expect(timers.nextDeadline == 300 * ms)
    #expect(timers.tick(now: 299 * ms).isEmpty)
    #expect(timers.tick(now: 300 * ms) == [.sendPing])
    #expect(timers.nextDeadline == 500 * ms)
    #expect(timers.tick(now: 499 * ms).isEmpty)
    #expect(timers.tick(now: 500 * ms) == [.close(.pingTimeout)])
  }

  @Test func aPongRestartsTheIntervalFromThePongsArrival() {
    var timers = SessionTimers(
      now: 0, pingInterval: 300 * ms, pingTimeout: 200 * ms, connectTimeout: nil)
    #expect(timers.tick(now: 300 * ms) == [.sendPing])
    timers.pongReceived(now: 350 * ms)
    #expect(timers.nextDeadline == 650 * ms)
    #expect(timers.tick(now: 600 * ms).isEmpty)
    #expect(timers.tick(now: 650 * ms) == [.sendPing])
  }

  @Test func anUnsolicitedPongChangesNothing() {
    var timers = SessionTimers(
      now: 0, pingInterval: 300 * ms, pingTimeout: 200 * ms, connectTimeout: nil)
    timers.pongReceived(now: 100 * ms)
    #expect(timers.nextDeadline == 300 * ms)
  }

  @Test func theConnectTimeoutAppliesUntilANamespaceIsJoined() {
    var timers = SessionTimers(
      now: 0, pingInterval: 25_000 * ms, pingTimeout: 20_000 * ms, connectTimeout: 1000 * ms)
    #expect(timers.nextDeadline == 1000 * ms)
    #expect(timers.tick(now: 1000 * ms) == [.close(.connectTimeout)])
    var joined = SessionTimers(
      now: 0, pingInterval: 25_000 * ms, pingTimeout: 20_000 * ms, connectTimeout: 1000 * ms)
    joined.namespaceJoined()
    #expect(joined.tick(now: 1000 * ms).isEmpty)
    #expect(joined.nextDeadline == 25_000 * ms)
  }

  @Test func anUnfinishedUpgradeIsAbortedOnceAndTheHeartbeatGoesOn() {
    var timers = SessionTimers(
      now: 0, pingInterval: 300 * ms, pingTimeout: 200 * ms, connectTimeout: nil)
    timers.upgradeStarted(now: 0, timeout: 100 * ms)
    #expect(timers.nextDeadline == 100 * ms)
    #expect(timers.tick(now: 100 * ms) == [.abortUpgrade])
    #expect(timers.tick(now: 150 * ms).isEmpty)
    #expect(timers.tick(now: 300 * ms) == [.sendPing])
  }
}

import Testing

@testable import Server

/// A random source that always returns the same bits: 0 picks the shortest wait, all ones
/// the longest, so expected delays are exact.
struct FixedRandom: RandomNumberGenerator {
  let bits: UInt64
  mutating func next() -> UInt64 { bits }
}

@Suite struct ReconnectBackoffTests {
  static let ms: Int64 = 1_000_000

  @Test func firstFailureWaitsBetweenHalfAndAllOfTheInitialDelay() {
    var shortest = FixedRandom(bits: 0)
    var backoff = ReconnectBackoff(initialDelay: 100 * Self.ms, maximumDelay: 1000 * Self.ms)
    #expect(backoff.action(now: 0) == .connect)
    #expect(backoff.attemptFailed(now: 5, using: &shortest) == 50 * Self.ms)
    #expect(backoff.retryAt == 5 + 50 * Self.ms)
    var longest = FixedRandom(bits: .max)
    var other = ReconnectBackoff(initialDelay: 100 * Self.ms, maximumDelay: 1000 * Self.ms)
    #expect(other.attemptFailed(now: 0, using: &longest) == 100 * Self.ms)
  }

  @Test func waitsDoubleUntilTheCap() {
    var longest = FixedRandom(bits: .max)
    var backoff = ReconnectBackoff(initialDelay: 100 * Self.ms, maximumDelay: 1000 * Self.ms)
    let delays = (0..<7).map { _ in backoff.attemptFailed(now: 0, using: &longest) / Self.ms }
    #expect(delays == [100, 200, 400, 800, 1000, 1000, 1000])
    #expect(backoff.failures == 7)
  }

  @Test func jitterStaysWithinHalfAndAllOfTheCeiling() {
    var random = SystemRandomNumberGenerator()
    var backoff = ReconnectBackoff()
    for failure in 1...40 {
      let ceiling = backoff.ceiling(afterFailures: failure)
      let delay = backoff.attemptFailed(now: 0, using: &random)
      #expect(delay >= ceiling / 2 && delay <= ceiling)
    }
  }

  @Test func actionWaitsUntilTheRetryTimeThenConnects() {
    var shortest = FixedRandom(bits: 0)
    var backoff = ReconnectBackoff(initialDelay: 100 * Self.ms)
    _ = backoff.attemptFailed(now: 1000, using: &shortest)
    let due = 1000 + 50 * Self.ms
    #expect(backoff.action(now: 1000) == .wait(until: due))
    #expect(backoff.action(now: due - 1) == .wait(until: due))
    #expect(backoff.action(now: due) == .connect)
  }

  @Test func connectingResetsTheBackoff() {
    var longest = FixedRandom(bits: .max)
    var backoff = ReconnectBackoff(initialDelay: 100 * Self.ms)
    for _ in 0..<5 { _ = backoff.attemptFailed(now: 0, using: &longest) }
    backoff.connected()
    #expect(backoff.failures == 0)
    #expect(backoff.retryAt == nil)
    #expect(backoff.action(now: 0) == .connect)
    #expect(backoff.attemptFailed(now: 0, using: &longest) == 100 * Self.ms)
  }

  @Test func ceilingDoesNotOverflowAfterManyFailures() {
    let backoff = ReconnectBackoff()
    #expect(backoff.ceiling(afterFailures: 1_000_000) == backoff.maximumDelay)
    #expect(backoff.ceiling(afterFailures: 0) == backoff.initialDelay)
  }
}

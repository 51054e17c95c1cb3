import Testing

@testable import Server

@Suite struct ClientEventLimiterTests {
  private let second: Int64 = 1_000_000_000

  @Test func overTheBudgetDropsAndNotifiesOncePerStretch() {
    var limiter = ClientEventLimiter(burst: 2, now: 0)
    #expect(limiter.admit(rate: 1, burst: 2, now: 0) == .allow)
    #expect(limiter.admit(rate: 1, burst: 2, now: 0) == .allow)
    #expect(limiter.admit(rate: 1, burst: 2, now: 0) == .drop(notify: true))
    #expect(limiter.admit(rate: 1, burst: 2, now: 0) == .drop(notify: false))
    // Calm for two seconds: allowed again, and the next drop starts a new stretch.
    #expect(limiter.admit(rate: 1, burst: 2, now: 2 * second) == .allow)
    #expect(limiter.admit(rate: 1, burst: 2, now: 2 * second) == .allow)
    #expect(limiter.admit(rate: 1, burst: 2, now: 2 * second) == .drop(notify: true))
  }

  @Test func aFloodIsClosedOnceItStayedOverForTenSeconds() {
    var limiter = ClientEventLimiter(burst: 1, now: 0)
    _ = limiter.admit(rate: 1, burst: 1, now: 0)
    var now: Int64 = 0
    var verdict = ClientEventLimiter.Verdict.allow
    // 1,000 events a second against a budget of 1 a second: over the budget all along.
    while verdict != .close, now < 20 * second {
      now += second / 1000
      verdict = limiter.admit(rate: 1, burst: 1, now: now)
      if verdict == .allow { verdict = limiter.admit(rate: 1, burst: 1, now: now) }
    }
    #expect(verdict == .close)
  }

  @Test func theAPILimiterAnswersRetryAfterPerCaller() {
    let limiter = APIRateLimiter(rate: 2)
    #expect(limiter.retryAfter("a", now: 0) == nil)
    #expect(limiter.retryAfter("a", now: 0) == nil)
    #expect(limiter.retryAfter("a", now: 0) == 1)
    #expect(limiter.retryAfter("b", now: 0) == nil)
    #expect(limiter.retryAfter("a", now: second) == nil)
    #expect(APIRateLimiter(rate: 0).retryAfter("a", now: 0) == nil)
  }

  @Test(arguments: [("127.0.0.1:5000", "127.0.0.1"), ("[::1]:80", "[::1]"), ("nocolon", "nocolon")])
  func peersAreCountedByAddress(_ peer: String, _ address: String) {
    #expect(ConnectionTracker.address(of: peer) == address)
  }
}

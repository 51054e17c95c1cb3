import Testing

@testable import Server

@Suite struct TokenBucketTests {
  private let second: Int64 = 1_000_000_000

  @Test func allowsItsBurstThenRefillsAtItsRate() {
    var bucket = TokenBucket(burst: 5, now: 0)
    var taken = 0
    for _ in 0..<7 where bucket.take(rate: 5, burst: 5, now: 0) { taken += 1 }
    #expect(taken == 5)
    let refilled = bucket.take(rate: 5, burst: 5, now: second / 5)
    let again = bucket.take(rate: 5, burst: 5, now: second / 5)
    #expect(refilled && !again)
  }
}

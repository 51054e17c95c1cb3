/// A token bucket as a value: `rate` tokens a second up to `burst`; the caller passes the
/// time, so tests need no clock.
struct TokenBucket: Sendable {
  private var tokens: Double
  private var updatedAt: Int64

  init(burst: Int, now: Int64) {
    tokens = Double(burst)
    updatedAt = now
  }

  /// Takes one token if there is one.
  mutating func take(rate: Int, burst: Int, now: Int64) -> Bool {
    let elapsed = Double(max(0, now - updatedAt)) / 1e9
    tokens = min(Double(burst), tokens + elapsed * Double(rate))
    updatedAt = now
    guard tokens >= 1 else { return false }
    tokens -= 1
    return true
  }
}

import Synchronization

/// REST calls per credential (`GATEWAY_API_RATE_PER_S`): a token bucket per caller, one
/// second of burst. Callers are API keys and admin users, so the map stays small; it is
/// bounded all the same (full buckets are forgotten first).
final class APIRateLimiter: Sendable {
  /// Most callers remembered.
  static let maxCallers = 10_000

  private let rate: Int
  private let buckets = Mutex<[String: TokenBucket]>([:])

  /// `rate` calls per second; 0 turns the limit off.
  init(rate: Int) {
    self.rate = rate
  }

  /// Nil when `caller` may go on, else the seconds to wait (for `Retry-After`).
  func retryAfter(_ caller: String, now: Int64) -> Int? {
    guard rate > 0 else { return nil }
    let allowed = buckets.withLock { buckets -> Bool in
      if buckets.count >= Self.maxCallers, buckets[caller] == nil { buckets.removeAll() }
      var bucket = buckets[caller] ?? TokenBucket(burst: rate, now: now)
      let allowed = bucket.take(rate: rate, burst: rate, now: now)
      buckets[caller] = bucket
      return allowed
    }
    return allowed ? nil : 1
  }
}

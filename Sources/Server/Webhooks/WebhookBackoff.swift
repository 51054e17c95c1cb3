/// When to try a failed webhook again: capped exponential backoff with jitter, as a pure
/// function of the attempt count and a random draw (so tests need no clock).
enum WebhookBackoff {
  /// The first retry's base delay.
  static let base: Int64 = 1000
  /// The longest delay between two attempts.
  static let cap: Int64 = 300_000

  /// Milliseconds to wait after failed attempt number `attempts` (1 for the first);
  /// `random` in [0, 1) spreads it over 50–150% of the base.
  static func delay(afterAttempt attempts: Int, random: Double) -> Int64 {
    let exponent = min(max(attempts - 1, 0), 20)
    let plain = min(cap, base << Int64(exponent))
    return Int64(Double(plain) * (0.5 + random))
  }
}

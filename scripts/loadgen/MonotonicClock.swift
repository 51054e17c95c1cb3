import Glibc

/// Monotonic time in nanoseconds, the generator's only clock.
enum MonotonicClock {
  /// Now, in nanoseconds since an arbitrary start.
  static func now() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
  }

  /// `nanoseconds` as milliseconds with microsecond precision, for result lines.
  static func milliseconds(_ nanoseconds: Int64) -> Double {
    Double(nanoseconds / 1_000) / 1_000
  }
}

/// SplitMix64: a fast, seedable generator for masking keys and random targets (the
/// benchmark needs spread, not secrecy).
struct SplitMix64 {
  private var state: UInt64

  /// A generator starting from `seed`.
  init(seed: UInt64) {
    state = seed
  }

  /// The next 64 random bits.
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var value = state
    value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
    value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
    return value ^ (value >> 31)
  }

  /// A value in `0..<bound` (bound > 0).
  mutating func next(below bound: Int) -> Int {
    Int(next() % UInt64(bound))
  }
}

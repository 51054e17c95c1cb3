/// Collects latency samples (nanoseconds) and summarises them as percentiles.
struct LatencyRecorder {
  private var samples: [Int64] = []

  /// Number of samples so far.
  var count: Int { samples.count }

  /// Adds one sample.
  mutating func record(_ nanoseconds: Int64) {
    samples.append(nanoseconds)
  }

  /// Adds every sample of `other`.
  mutating func merge(_ other: LatencyRecorder) {
    samples.append(contentsOf: other.samples)
  }

  /// Adds `p50`, `p90`, `p99`, `max` (milliseconds) under `prefix` to `line`.
  func report(_ prefix: String, into line: inout ResultLine) {
    let sorted = samples.sorted()
    func percentile(_ fraction: Double) -> Double {
      guard !sorted.isEmpty else { return 0 }
      // Nearest rank: the smallest sample with at least `fraction` of samples at or below.
      let rank = Int((fraction * Double(sorted.count)).rounded(.up))
      return MonotonicClock.milliseconds(sorted[max(0, min(sorted.count - 1, rank - 1))])
    }
    line.add("\(prefix)_p50_ms", percentile(0.50))
    line.add("\(prefix)_p90_ms", percentile(0.90))
    line.add("\(prefix)_p99_ms", percentile(0.99))
    line.add("\(prefix)_max_ms", MonotonicClock.milliseconds(sorted.last ?? 0))
  }
}

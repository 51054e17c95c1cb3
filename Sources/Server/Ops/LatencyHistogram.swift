import Synchronization

/// A Prometheus histogram of durations, counted without a lock: one relaxed atomic per
/// bucket, one for the sum.
///
/// `Atomic` is not copyable, so the buckets cannot live in an `Array`; an `InlineArray`
/// holds them in the object itself (17 × 8 bytes), at fixed offsets. `observe` is a scan
/// of 16 constants and two relaxed `fetch_add`s: no allocation, no lock, no syscall
/// beyond the caller's clock read. Buckets count their own range only (not cumulative),
/// so an observation touches one of them; the exposition sums them up. The count is the
/// sum of the buckets, so `+Inf` and `_count` always agree; `_sum` is read separately and
/// may lag by the observations racing the scrape.
final class LatencyHistogram: MetricFamily, Sendable {
  /// Upper bounds in seconds, from 100 µs (a push to a local socket) to 10 s (a stalled
  /// store). The last bucket, `+Inf`, is implicit.
  static let upperBoundsSeconds: [Double] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
    10,
  ]
  /// The same bounds in nanoseconds, compared on every observation.
  static let upperBoundsNanoseconds: [Int64] = upperBoundsSeconds.map { Int64($0 * 1e9) }
  /// Finite buckets plus `+Inf`.
  static let bucketCount = 17

  /// Family name, e.g. `gateway_push_duration_seconds`.
  let name: String
  /// `# HELP` text.
  let help: String
  private let buckets: InlineArray<17, Atomic<Int>>
  private let sumNanoseconds = Atomic<Int>(0)

  /// A histogram named `name` (a `_seconds` name, by Prometheus convention).
  init(_ name: String, _ help: String) {
    self.name = name
    self.help = help
    buckets = InlineArray { _ in Atomic<Int>(0) }
  }

  /// Records one duration.
  func observe(nanoseconds: Int64) {
    let duration = max(0, nanoseconds)
    var index = 0
    let bounds = Self.upperBoundsNanoseconds
    while index < bounds.count, duration > bounds[index] { index += 1 }
    buckets[index].add(1, ordering: .relaxed)
    sumNanoseconds.add(Int(duration), ordering: .relaxed)
  }

  /// Records the time since `start` (a `Clock.monotonicNanoseconds()` reading).
  func observe(since start: Int64) {
    observe(nanoseconds: Clock.monotonicNanoseconds() - start)
  }

  /// The counts as Prometheus reports them.
  struct Snapshot: Sendable, Equatable {
    /// Observations at or below each finite bound, in `upperBoundsSeconds` order.
    var cumulativeCounts: [Int]
    /// Every observation (the `+Inf` bucket).
    var count: Int
    /// Sum of the observations, in seconds.
    var sumSeconds: Double

    /// The `quantile` (0...1) estimated as Prometheus's `histogram_quantile` does: linear
    /// within the bucket that holds it; nil without observations. Past the last finite
    /// bound it answers that bound.
    func quantile(_ quantile: Double) -> Double? {
      guard count > 0 else { return nil }
      let rank = quantile * Double(count)
      var lowerBound = 0.0
      var below = 0
      for (bound, cumulative) in zip(LatencyHistogram.upperBoundsSeconds, cumulativeCounts) {
        if Double(cumulative) >= rank {
          let inBucket = cumulative - below
          guard inBucket > 0 else { return bound }
          return lowerBound + (bound - lowerBound) * (rank - Double(below)) / Double(inBucket)
        }
        lowerBound = bound
        below = cumulative
      }
      return LatencyHistogram.upperBoundsSeconds.last
    }
  }

  /// Reads every bucket once.
  func snapshot() -> Snapshot {
    var cumulative: [Int] = []
    cumulative.reserveCapacity(Self.bucketCount - 1)
    var running = 0
    for index in 0..<Self.bucketCount {
      running += buckets[index].load(ordering: .relaxed)
      if index < Self.bucketCount - 1 { cumulative.append(running) }
    }
    return Snapshot(
      cumulativeCounts: cumulative, count: running,
      sumSeconds: Double(sumNanoseconds.load(ordering: .relaxed)) / 1e9)
  }

  func write(into exposition: inout PrometheusExposition) {
    exposition.family(name, help: help, type: .histogram)
    exposition.histogram(name, snapshot())
  }
}

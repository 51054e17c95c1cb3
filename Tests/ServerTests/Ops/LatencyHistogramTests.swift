import Testing

@testable import Server

@Suite struct LatencyHistogramTests {
  @Test func anObservationOnABoundCountsInThatBucket() {
    let histogram = LatencyHistogram("h_seconds", "h")
    histogram.observe(nanoseconds: 1_000_000)  // exactly le="0.001"
    let snapshot = histogram.snapshot()
    let index = LatencyHistogram.upperBoundsSeconds.firstIndex(of: 0.001)!
    #expect(snapshot.cumulativeCounts[index] == 1)
    #expect(snapshot.cumulativeCounts[index - 1] == 0)
    #expect(snapshot.count == 1)
  }

  @Test func bucketsAreCumulativeAndCountIncludesOverflow() {
    let histogram = LatencyHistogram("h_seconds", "h")
    for nanoseconds: Int64 in [10, 400_000, 400_000, 7_000_000, 60_000_000_000] {
      histogram.observe(nanoseconds: nanoseconds)
    }
    let snapshot = histogram.snapshot()
    #expect(snapshot.cumulativeCounts == [1, 1, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4])
    #expect(snapshot.count == 5)
    #expect(abs(snapshot.sumSeconds - 60.007_800_01) < 1e-9)
  }

  @Test func aNegativeDurationCountsAsZero() {
    let histogram = LatencyHistogram("h_seconds", "h")
    histogram.observe(nanoseconds: -5)
    #expect(histogram.snapshot().cumulativeCounts[0] == 1)
    #expect(histogram.snapshot().sumSeconds == 0)
  }

  @Test func quantileInterpolatesWithinTheBucketLikeHistogramQuantile() {
    let histogram = LatencyHistogram("h_seconds", "h")
    for _ in 0..<4 { histogram.observe(nanoseconds: 800_000) }  // (0.0005, 0.001]
    let snapshot = histogram.snapshot()
    #expect(snapshot.quantile(0.5) == 0.00075)
    #expect(snapshot.quantile(1) == 0.001)
    #expect(LatencyHistogram("e", "e").snapshot().quantile(0.5) == nil)
  }

  @Test func concurrentObservationsAreAllCounted() async {
    let histogram = LatencyHistogram("h_seconds", "h")
    await withTaskGroup(of: Void.self) { group in
      for task in 0..<8 {
        group.addTask {
          for step in 0..<1000 { histogram.observe(nanoseconds: Int64(task * 1000 + step) * 1000) }
        }
      }
    }
    #expect(histogram.snapshot().count == 8000)
  }
}

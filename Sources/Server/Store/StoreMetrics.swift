/// What the store's writer does, for `/metrics`: commits, jobs per commit (their ratio is the
/// group-commit batch size), commit latency, and failures. Recorded once per batch on the
/// writer thread with relaxed atomics.
final class StoreMetrics: MetricFamily, Sendable {
  let commits = Counter("gateway_store_commits_total", "Store transactions committed (batches).")
  let jobs = Counter(
    "gateway_store_committed_jobs_total",
    "Writes committed; divided by gateway_store_commits_total, the group-commit batch size.")
  let failures = Counter(
    "gateway_store_failures_total", "Store writes that failed (disk full, read-only, corrupt).")
  let commitLatency = LatencyHistogram(
    "gateway_store_commit_duration_seconds", "Time to run and commit one batch of writes.")

  /// One committed batch of `jobs` writes that took `nanoseconds`.
  func committed(jobs count: Int, nanoseconds: Int64) {
    commits.add(1)
    jobs.add(count)
    commitLatency.observe(nanoseconds: nanoseconds)
  }

  func write(into exposition: inout PrometheusExposition) {
    commits.write(into: &exposition)
    jobs.write(into: &exposition)
    failures.write(into: &exposition)
    commitLatency.write(into: &exposition)
  }
}

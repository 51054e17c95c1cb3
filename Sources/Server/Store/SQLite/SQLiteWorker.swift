import Dispatch
import Glibc
import Synchronization

/// One thread that owns one `SQLiteConnection` and runs jobs on it in batches: every job
/// queued while the previous batch committed runs in the next transaction (group commit),
/// each inside its own savepoint so a failing job does not undo its neighbours. Callers await
/// a continuation resumed after their batch commits; nothing in an actor or on the event
/// loop waits for the disk.
///
/// A job's completion runs on this thread after the commit, in submission order: the
/// delivery fan-out relies on that order to hand out a user's entries in offset order.
final class SQLiteWorker: Sendable {
  /// A unit of work: `run` does the SQL and returns what to do once the batch committed;
  /// `fail` is called instead when the job or its batch could not commit.
  struct Job: Sendable {
    var run: @Sendable (SQLiteConnection) throws(StoreError) -> (@Sendable () -> Void)
    var fail: @Sendable (StoreError) -> Void
  }

  private struct Queue {
    var jobs: [Job] = []
    var stopping = false
  }

  private let queue = Mutex(Queue())
  private let wake = DispatchSemaphore(value: 0)
  private let stopped = DispatchSemaphore(value: 0)
  private let name: String
  /// Runs on the worker thread between batches, at most once per `maintenanceInterval`.
  private let maintenance: (@Sendable (SQLiteConnection) -> Void)?
  private let maintenanceInterval: Double
  /// `BEGIN IMMEDIATE` for a writer (takes the write lock up front), `BEGIN` for a reader.
  private let beginStatement: String
  /// Told about each batch of a writer.
  private let metrics: StoreMetrics?

  /// Starts the thread; `open` makes the connection on it (so it never changes threads) and
  /// its error is thrown here.
  init(
    name: String, writes: Bool, metrics: StoreMetrics? = nil, maintenanceInterval: Double = 30,
    maintenance: (@Sendable (SQLiteConnection) -> Void)? = nil,
    open: @escaping @Sendable () throws(StoreError) -> SQLiteConnection
  ) throws(StoreError) {
    self.name = name
    beginStatement = writes ? "BEGIN IMMEDIATE" : "BEGIN"
    self.metrics = metrics
    self.maintenance = maintenance
    self.maintenanceInterval = maintenanceInterval
    let opened = Mutex<Result<Void, StoreError>?>(nil)
    let ready = DispatchSemaphore(value: 0)
    let box = Unmanaged.passRetained(
      ThreadStart { [self] in
        let connection: SQLiteConnection
        do throws(StoreError) {
          connection = try open()
        } catch {
          opened.withLock { $0 = .failure(error) }
          ready.signal()
          return
        }
        opened.withLock { $0 = .success(()) }
        ready.signal()
        loop(connection)
      })
    var thread = pthread_t()
    let status = pthread_create(
      &thread, nil,
      { argument in
        guard let argument else { return nil }
        Unmanaged<ThreadStart>.fromOpaque(argument).takeRetainedValue().body()
        return nil
      }, box.toOpaque())
    guard status == 0 else {
      box.release()
      throw StoreError("cannot start the \(name) thread (pthread_create \(status))")
    }
    pthread_detach(thread)
    ready.wait()
    if case .failure(let error)? = opened.withLock({ $0 }) { throw error }
  }

  /// Queues a job; it runs in the next batch.
  func submit(_ job: Job) {
    let accepted = queue.withLock { queue -> Bool in
      guard !queue.stopping else { return false }
      queue.jobs.append(job)
      return true
    }
    guard accepted else { return job.fail(StoreError("the store is shutting down")) }
    wake.signal()
  }

  /// Runs `body` in the next batch and returns its value once that batch committed.
  func perform<Value: Sendable>(
    _ body: @escaping @Sendable (SQLiteConnection) throws(StoreError) -> Value
  ) async throws(StoreError) -> Value {
    let result = await withCheckedContinuation {
      (continuation: CheckedContinuation<Result<Value, StoreError>, Never>) in
      submit(
        Job(
          run: { connection throws(StoreError) in
            let value = try body(connection)
            return { continuation.resume(returning: .success(value)) }
          },
          fail: { continuation.resume(returning: .failure($0)) }))
    }
    return try result.get()
  }

  /// Finishes the queued jobs, then ends the thread and closes the connection.
  func stop() {
    let first = queue.withLock { queue -> Bool in
      defer { queue.stopping = true }
      return !queue.stopping
    }
    guard first else { return }
    wake.signal()
    stopped.wait()
  }

  private func loop(_ connection: SQLiteConnection) {
    var lastMaintenance = Clock.monotonicNanoseconds()
    let interval = Int64(maintenanceInterval * 1e9)
    while true {
      _ = wake.wait(timeout: .now() + .milliseconds(Int(interval / 1_000_000)))
      let (jobs, stopping) = queue.withLock { queue in
        defer { queue.jobs.removeAll(keepingCapacity: true) }
        return (queue.jobs, queue.stopping)
      }
      if !jobs.isEmpty { runBatch(jobs, on: connection) }
      let now = Clock.monotonicNanoseconds()
      if let maintenance, now - lastMaintenance >= interval {
        lastMaintenance = now
        maintenance(connection)
      }
      if stopping, queue.withLock({ $0.jobs.isEmpty }) { break }
    }
    stopped.signal()
  }

  /// One transaction around every job, a savepoint around each.
  private func runBatch(_ jobs: [Job], on connection: SQLiteConnection) {
    let started = Clock.monotonicNanoseconds()
    var completions: [(@Sendable () -> Void)?] = []
    completions.reserveCapacity(jobs.count)
    do {
      try connection.execute(beginStatement)
    } catch {
      for job in jobs { job.fail(error) }
      return
    }
    for job in jobs {
      do throws(StoreError) {
        try connection.execute("SAVEPOINT job")
        let completion = try job.run(connection)
        try connection.execute("RELEASE job")
        completions.append(completion)
      } catch {
        connection.resetStatements()
        try? connection.execute("ROLLBACK TO job; RELEASE job")
        metrics?.failures.add(1)
        job.fail(error)
        completions.append(nil)
      }
    }
    connection.resetStatements()
    do {
      try connection.execute("COMMIT")
    } catch {
      connection.resetStatements()
      try? connection.execute("ROLLBACK")
      metrics?.failures.add(jobs.count)
      for (job, completion) in zip(jobs, completions) where completion != nil { job.fail(error) }
      return
    }
    metrics?.committed(jobs: jobs.count, nanoseconds: Clock.monotonicNanoseconds() - started)
    for completion in completions { completion?() }
  }
}

/// The closure a new thread runs, boxed to cross `pthread_create`.
private final class ThreadStart {
  let body: () -> Void
  init(_ body: @escaping () -> Void) { self.body = body }
}

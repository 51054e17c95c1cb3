import Synchronization

/// The queue of ordered writes of a `RedisMessageStore`: callers add jobs from any task, the
/// store's `run()` takes everything queued at once (one pipelined batch).
final class RedisWriteQueue: Sendable {
  /// One queued write.
  enum Job: Sendable {
    case append(AppendRequest, @Sendable (Result<AppendResult, StoreError>) -> Void)
    case answer(key: String, status: Int, body: [UInt8])
    case sent([UserPosition], at: Int64)
  }

  private struct State {
    var jobs: [Job] = []
    var sweep = false
    var closed = false
    var waiter: CheckedContinuation<([Job], Bool)?, Never>?
  }

  private let state = Mutex(State())

  /// Queues `job`; false once closed.
  func add(_ job: Job) -> Bool {
    let (accepted, waiter) = state.withLock {
      state -> (Bool, CheckedContinuation<([Job], Bool)?, Never>?) in
      guard !state.closed else { return (false, nil) }
      state.jobs.append(job)
      return (true, Self.take(&state))
    }
    waiter?.resume(returning: (accepted ? [job] : [], false))
    return accepted
  }

  /// Asks the writer for a sweep after its current batch.
  func requestSweep() {
    let waiter = state.withLock { state in
      state.sweep = true
      return Self.take(&state)
    }
    waiter?.resume(returning: ([], true))
  }

  /// No more jobs: the writer finishes the queue and `next()` then answers nil.
  func close() {
    let waiter = state.withLock { state in
      state.closed = true
      return Self.take(&state)
    }
    waiter?.resume(returning: nil)
  }

  /// Everything queued (and whether a sweep is due), waiting while there is nothing; nil
  /// once closed and empty.
  func next() async -> ([Job], Bool)? {
    await withCheckedContinuation { continuation in
      let ready = state.withLock { state -> (([Job], Bool)?, Bool) in
        if !state.jobs.isEmpty || state.sweep {
          defer {
            state.jobs.removeAll()
            state.sweep = false
          }
          return ((state.jobs, state.sweep), true)
        }
        if state.closed { return (nil, true) }
        state.waiter = continuation
        return (nil, false)
      }
      if ready.1 { continuation.resume(returning: ready.0) }
    }
  }

  /// The parked waiter, taken with what it gets handed (its jobs and sweep flag are cleared;
  /// the caller resumes it with them).
  private static func take(_ state: inout State) -> CheckedContinuation<([Job], Bool)?, Never>? {
    guard let waiter = state.waiter else { return nil }
    state.waiter = nil
    state.jobs.removeAll()
    state.sweep = false
    return waiter
  }
}

import Synchronization

/// Something with deadlines that the sweeper checks: idle HTTP connections, Engine.IO
/// heartbeats, upgrade probes.
protocol DeadlineTarget: AnyObject, Sendable {
  /// Called once a deadline this target scheduled has passed. Returns the next moment the
  /// sweeper should look again (monotonic nanoseconds), or nil for none.
  func deadlineReached(now: Int64) async -> Int64?
}

/// One task serves every timeout in the process: a min-heap of deadlines, popped when due.
///
/// No per-connection timer tasks. Entries are not removed when a target's deadline moves;
/// the target decides, when called, whether anything is really due (lazy deletion). Entries
/// hold their targets weakly: the sweeper never keeps a target alive. The
/// sweeper sleeps at most `granularity` at a time while entries exist, so a newly scheduled
/// earlier deadline is seen within that bound; with no entries it sleeps until woken.
final class DeadlineSweeper: Sendable {
  private struct Entry {
    var deadline: Int64
    // Weak: a target that ended (closed session, finished connection) is freed at once
    // rather than kept, with all it holds, until its lazily deleted entry comes due; with
    // a 30 s idle timeout, connection churn otherwise holds 30 s worth of dead sessions.
    // Live targets are owned elsewhere (the session table, the connection's task).
    weak var target: (any DeadlineTarget)?
  }

  private struct State {
    var heap: [Entry] = []
    var idleWaiter: CheckedContinuation<Void, Never>?
    var stopped = false
  }

  private let state = Mutex(State())
  /// Longest sleep while deadlines are pending, in nanoseconds.
  let granularity: Int64

  /// A sweeper; `granularity` defaults to 10 ms, fine enough for the 300/200 ms heartbeats
  /// the protocol test suites use.
  init(granularity: Int64 = 10_000_000) {
    self.granularity = granularity
  }

  /// Asks for `target.deadlineReached` at or soon after `deadline`.
  func schedule(_ target: any DeadlineTarget, at deadline: Int64) {
    let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
      guard !state.stopped else { return nil }
      state.heap.append(Entry(deadline: deadline, target: target))
      siftUp(&state.heap, from: state.heap.count - 1)
      defer { state.idleWaiter = nil }
      return state.idleWaiter
    }
    waiter?.resume()
  }

  /// Number of pending entries (for stats and tests).
  var pendingCount: Int { state.withLock { $0.heap.count } }

  /// Runs until `stop()`.
  func run() async {
    while true {
      let now = Clock.monotonicNanoseconds()
      var due: [any DeadlineTarget] = []
      var next: Int64? = nil
      let stopped = state.withLock { state -> Bool in
        while let first = state.heap.first, first.deadline <= now {
          if let target = first.target { due.append(target) }
          popFirst(&state.heap)
        }
        next = state.heap.first?.deadline
        return state.stopped
      }
      if stopped { return }
      for target in due {
        if let again = await target.deadlineReached(now: now) {
          schedule(target, at: again)
        }
      }
      if !due.isEmpty { continue }
      if let next {
        let wait = min(max(next - now, 1_000_000), granularity)
        try? await Task.sleep(for: .nanoseconds(wait))
      } else {
        await withCheckedContinuation { continuation in
          let resumeNow = state.withLock { state -> Bool in
            if state.stopped || !state.heap.isEmpty { return true }
            state.idleWaiter = continuation
            return false
          }
          if resumeNow { continuation.resume() }
        }
      }
    }
  }

  /// Ends `run()` and drops every entry.
  func stop() {
    let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
      state.stopped = true
      state.heap.removeAll()
      defer { state.idleWaiter = nil }
      return state.idleWaiter
    }
    waiter?.resume()
  }

  private func siftUp(_ heap: inout [Entry], from index: Int) {
    var child = index
    while child > 0 {
      let parent = (child - 1) / 2
      guard heap[child].deadline < heap[parent].deadline else { return }
      heap.swapAt(child, parent)
      child = parent
    }
  }

  private func popFirst(_ heap: inout [Entry]) {
    let last = heap.removeLast()
    guard !heap.isEmpty else { return }
    heap[0] = last
    var parent = 0
    while true {
      let left = 2 * parent + 1
      let right = left + 1
      var smallest = parent
      if left < heap.count, heap[left].deadline < heap[smallest].deadline { smallest = left }
      if right < heap.count, heap[right].deadline < heap[smallest].deadline { smallest = right }
      if smallest == parent { return }
      heap.swapAt(parent, smallest)
      parent = smallest
    }
  }
}

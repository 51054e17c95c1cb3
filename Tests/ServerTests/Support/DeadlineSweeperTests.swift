import Synchronization
import Testing

@testable import Server

@Suite struct DeadlineSweeperTests {
  final class Recorder: DeadlineTarget {
    let name: String
    let log: Mutex<[String]>
    let again: Mutex<Int64?>

    init(_ name: String, again: Int64? = nil) {
      self.name = name
      self.log = Mutex([])
      self.again = Mutex(again)
    }

    func deadlineReached(now: Int64) async -> Int64? {
      log.withLock { $0.append(name) }
      return again.withLock { value in
        defer { value = nil }
        return value
      }
    }

    var calls: Int { log.withLock { $0.count } }
  }

  @Test func dueTargetsAreCalledAndMayAskToBeCalledAgain() async throws {
    let sweeper = DeadlineSweeper(granularity: 5_000_000)
    let runner = Task { await sweeper.run() }
    let now = Clock.monotonicNanoseconds()
    let once = Recorder("once")
    let twice = Recorder("twice", again: now + 20_000_000)
    let later = Recorder("later")
    sweeper.schedule(once, at: now)
    sweeper.schedule(twice, at: now + 1_000_000)
    sweeper.schedule(later, at: now + 60_000_000_000)
    #expect(await TestServer.eventually { once.calls == 1 && twice.calls == 2 })
    #expect(later.calls == 0)
    #expect(sweeper.pendingCount == 1)
    sweeper.stop()
    await runner.value
  }

  @Test func aTargetNothingElseHoldsIsReleasedBeforeItsDeadline() async throws {
    let sweeper = DeadlineSweeper()
    weak var released: Recorder?
    do {
      let target = Recorder("closed")
      released = target
      sweeper.schedule(target, at: Clock.monotonicNanoseconds() + 60_000_000_000)
    }
    #expect(released == nil)
    #expect(sweeper.pendingCount == 1)
  }

  @Test func entriesOfReleasedTargetsAreSweptOutWhileLiveOnesStay() async throws {
    let sweeper = DeadlineSweeper()
    let far = Clock.monotonicNanoseconds() + 60_000_000_000
    let live = (0..<10).map { Recorder("live \($0)") }
    for target in live { sweeper.schedule(target, at: far) }
    for index in 0..<3000 { sweeper.schedule(Recorder("closed \(index)"), at: far) }
    #expect(sweeper.pendingCount >= live.count)
    #expect(sweeper.pendingCount < 1100)
  }

  @Test func anIdleSweeperWakesForANewEntry() async throws {
    let sweeper = DeadlineSweeper()
    let runner = Task { await sweeper.run() }
    try await Task.sleep(for: .milliseconds(20))
    let target = Recorder("late")
    sweeper.schedule(target, at: Clock.monotonicNanoseconds())
    #expect(await TestServer.eventually { target.calls == 1 })
    sweeper.stop()
    await runner.value
  }

  /// Regression: entries held their targets strongly, so every closed session and finished
  /// connection stayed in memory until its deadline (idle 30 s, ping 25 s); connection
  /// churn grew the RSS by rate x 30 s worth of dead sessions.
  @Test func aPendingEntryDoesNotKeepItsTargetAlive() {
    let sweeper = DeadlineSweeper()
    weak var released: Recorder?
    do {
      let target = Recorder("dropped")
      released = target
      sweeper.schedule(target, at: Clock.monotonicNanoseconds() + 60_000_000_000)
    }
    #expect(released == nil)
    #expect(sweeper.pendingCount == 1)
  }

  @Test func anEntryWhoseTargetWasFreedIsSkipped() async throws {
    let sweeper = DeadlineSweeper(granularity: 5_000_000)
    let runner = Task { await sweeper.run() }
    let now = Clock.monotonicNanoseconds()
    do {
      sweeper.schedule(Recorder("freed"), at: now)
    }
    let live = Recorder("live")
    sweeper.schedule(live, at: now + 1_000_000)
    #expect(await TestServer.eventually { live.calls == 1 && sweeper.pendingCount == 0 })
    sweeper.stop()
    await runner.value
  }
}

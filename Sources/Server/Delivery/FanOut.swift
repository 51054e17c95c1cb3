import Protocol

/// Hands committed messages to the recipients' live sockets, one message at a time, in the
/// order the store committed them: so every socket sees its user's entries in offset order
/// and a `DeliveryCursor` needs to remember only the last one.
///
/// One task runs it for the whole process (`GatewayServer`). Its queue is unbounded in
/// type but bounded in fact: every queued job is a REST request waiting for its answer, or
/// (cluster mode) an entry another node committed for a socket here.
///
/// In cluster mode entries reach this node two ways (its own appends, and other nodes'
/// through Redis pub/sub, which is at most once) and can cross: so before a socket gets an
/// entry whose predecessor it never got, the missing range is read from the store
/// (`repair`), and after the subscription comes back every socket catches up (`catchUp`).
/// A socket whose repair read fails gets nothing past the gap (its cursor would skip the
/// missing entries for good) and reads again after a backoff, and again before its next
/// entry, until the read succeeds.
final class FanOut: Sendable {
  /// One committed message and the REST request waiting for it.
  struct Job: Sendable {
    var message: AppendedMessage
    /// Called with, per recipient in order, whether a live socket got it.
    var done: @Sendable ([Bool]) -> Void
  }

  private enum Work: Sendable {
    case deliver(Job)
    /// Every local socket reads what it missed (cluster mode, after a resubscribe).
    case catchUp
    /// A live-only event another node sent to users here (cluster mode).
    case live(LiveEnvelope)
    /// One socket reads what it missed again, after its repair read failed.
    case retry(SocketTarget, attempt: Int)
  }

  /// Reads after a failed repair: the first after `retryBaseMilliseconds`, each later one
  /// after twice the wait (at most `retryMaxMilliseconds`), `retryAttempts` in all; the
  /// socket's next entry starts a repair again in any case.
  static let retryAttempts = 8
  static let retryBaseMilliseconds = 100
  static let retryMaxMilliseconds = 5000

  private let work: AsyncStream<Work>
  private let input: AsyncStream<Work>.Continuation

  init() {
    (work, input) = AsyncStream.makeStream(of: Work.self, bufferingPolicy: .unbounded)
  }

  /// Queues a committed message (called by the store, in commit order).
  func enqueue(_ job: Job) {
    if case .terminated = input.yield(.deliver(job)) {
      job.done(Array(repeating: false, count: job.message.entries.count))
    }
  }

  /// Queues entries another node committed for sockets here (cluster mode).
  func enqueueRemote(_ message: AppendedMessage) {
    input.yield(.deliver(Job(message: message, done: { _ in })))
  }

  /// Queues a live-only event another node sent to users here (cluster mode).
  func enqueueLive(_ event: LiveEnvelope) {
    input.yield(.live(event))
  }

  /// Queues a catch-up of every local socket (cluster mode, after pub/sub was away).
  func enqueueCatchUp() {
    input.yield(.catchUp)
  }

  /// Serves until `finish()`. `repairLimit` (cluster mode) is the most entries one repair
  /// reads; nil on a single node, where entries cannot cross.
  func run(registry: RegistryActor, store: any MessageStore, metrics: Metrics, repairLimit: Int?)
    async
  {
    let context = Context(
      registry: registry, store: store, metrics: metrics, repairLimit: repairLimit)
    for await item in work {
      switch item {
      case .deliver(let job):
        let reached = await deliver(job.message, context)
        var sent: [UserPosition] = []
        for (entry, wasReached) in zip(job.message.entries, reached) where wasReached {
          sent.append(entry)
        }
        store.markSent(sent, at: Clock.unixMilliseconds())
        job.done(reached)
      case .live(let event):
        let packet = Delivery.livePacket(event: event.event, argumentJSON: event.messageJSON)
        for sockets in await registry.targets(forEach: event.userIDs) where !sockets.isEmpty {
          _ = await Delivery.offer(packet, offset: nil, to: sockets, metrics: metrics)
        }
      case .catchUp:
        guard repairLimit != nil else { continue }
        for target in await registry.allTargets() {
          await catchUp(target, attempt: 0, context)
        }
      case .retry(let target, let attempt):
        await catchUp(target, attempt: attempt, context)
      }
    }
  }

  /// Ends `run` once the queued jobs are served.
  func finish() {
    input.finish()
  }

  private struct Context {
    let registry: RegistryActor
    let store: any MessageStore
    let metrics: Metrics
    let repairLimit: Int?
  }

  private func deliver(_ message: AppendedMessage, _ context: Context) async -> [Bool] {
    let targets = await context.registry.targets(forEach: message.entries.map(\.userID))
    var prefix: [UInt8] = []
    prefix.reserveCapacity(message.messageJSON.count + message.event.utf8.count + 8)
    Delivery.appendEventPrefix(event: message.event, argumentJSON: message.messageJSON, to: &prefix)
    var reached: [Bool] = []
    reached.reserveCapacity(targets.count)
    for (entry, sockets) in zip(message.entries, targets) {
      guard !sockets.isEmpty else {
        reached.append(false)
        continue
      }
      var ready = sockets
      if context.repairLimit != nil {
        ready = []
        for target in sockets where await closeGap(target, before: entry.offset, context) {
          ready.append(target)
        }
      }
      let packet = Delivery.persistedPacket(prefix: prefix, offset: entry.offset)
      reached.append(
        await Delivery.offer(packet, offset: entry.offset, to: ready, metrics: context.metrics))
    }
    return reached
  }

  /// Reads what `target` misses before `offset` until nothing is; false when a read failed
  /// (the socket must not get `offset` now, and a retry is queued).
  private func closeGap(_ target: SocketTarget, before offset: LogOffset, _ context: Context)
    async -> Bool
  {
    var previous: LogOffset?
    while let after = target.cursor.missing(before: offset) {
      // A read that moved the cursor nowhere (the entry is from an epoch the store no longer
      // has) would only repeat: what could be read was read.
      guard after != previous else { return true }
      previous = after
      switch await repair(target, after: after, context) {
      case .failed:
        scheduleRetry(target, attempt: 1)
        return false
      case .empty:
        return true  // not retained any more: nothing to wait for
      case .read:
        continue
      }
    }
    return true
  }

  /// Gives `target` everything retained after its cursor, page by page; on a failed read
  /// queues the next attempt.
  private func catchUp(_ target: SocketTarget, attempt: Int, _ context: Context) async {
    guard var after = target.cursor.position, !target.outbox.isClosed else { return }
    while true {
      switch await repair(target, after: after, context) {
      case .failed:
        scheduleRetry(target, attempt: attempt + 1)
        return
      case .empty:
        return
      case .read(let last):
        after = last
      }
    }
  }

  /// Queues another read for `target` after a backoff, unless it had its share or is gone.
  private func scheduleRetry(_ target: SocketTarget, attempt: Int) {
    guard attempt <= Self.retryAttempts, !target.outbox.isClosed else { return }
    let shift = min(attempt - 1, 16)
    let wait = min(Self.retryBaseMilliseconds << shift, Self.retryMaxMilliseconds)
    let input = input
    Task {
      try? await Task.sleep(for: .milliseconds(wait))
      input.yield(.retry(target, attempt: attempt))
    }
  }

  private enum RepairOutcome {
    /// The store could not be read.
    case failed
    /// Nothing retained after the offset.
    case empty
    /// A page was handed to the socket; the last entry's offset.
    case read(LogOffset)
  }

  /// Gives one socket a page of the retained entries after `after` (the cursor drops any it
  /// had).
  private func repair(_ target: SocketTarget, after: LogOffset, _ context: Context) async
    -> RepairOutcome
  {
    let page: HistoryPage
    do {
      page = try await context.store.history(
        userID: target.userID, after: after, limit: context.repairLimit ?? 1000,
        now: Clock.unixMilliseconds())
    } catch {
      context.metrics.gapRepairFailures.add(1, ordering: .relaxed)
      return .failed
    }
    guard let last = page.entries.last else { return .empty }
    context.metrics.gapRepairs.add(1, ordering: .relaxed)
    for entry in page.entries {
      _ = await Delivery.offer(
        Delivery.packet(for: entry), offset: entry.offset, to: [target], metrics: context.metrics)
    }
    return .read(last.offset)
  }
}

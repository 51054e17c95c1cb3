/// The dispatcher: one task that keeps up to `concurrency` deliveries in flight, at most one
/// per user (so a user's events leave in order), and looks for due retries every 250 ms.
extension Webhooks {
  /// Why the dispatcher woke up.
  private enum Signal: Sendable {
    case finished(userKey: String)
    case tick
    case wake
    case stopped
  }

  /// Serves the outbox until the task is cancelled.
  func run() async {
    await withTaskGroup(of: Signal.self) { group in
      // Two waiters always run beside the deliveries: the retry clock (every 250 ms) and
      // new events being queued; each is started again when it fires.
      group.addTask { await Self.tick() }
      group.addTask { [wakes] in await Self.waitForWake(wakes) }
      var busy = Set<String>()
      while !Task.isCancelled {
        let free = sender.concurrency - busy.count
        if free > 0 {
          do throws(StoreError) {
            let due = try await store.dueWebhooks(
              now: Clock.unixMilliseconds(), limit: free, busy: busy)
            for queued in due {
              busy.insert(queued.event.userKey)
              group.addTask { await deliver(queued) }
            }
          } catch {
            logger.error("webhook outbox unreadable", ["error": error.message])
          }
        }
        switch await group.next() {
        case .finished(let userKey)?: busy.remove(userKey)
        case .tick?: group.addTask { await Self.tick() }
        case .wake?: group.addTask { [wakes] in await Self.waitForWake(wakes) }
        case .stopped?, nil:
          // Shutdown: start nothing more; deliveries in flight end within their timeout.
          group.cancelAll()
          while let signal = await group.next() {
            if case .finished = signal { continue }
          }
          return
        }
      }
      group.cancelAll()
    }
  }

  private static func tick() async -> Signal {
    try? await Task.sleep(for: .milliseconds(250))
    return .tick
  }

  private static func waitForWake(_ wakes: AsyncStream<Void>) async -> Signal {
    var iterator = wakes.makeAsyncIterator()
    return await iterator.next() == nil ? .stopped : .wake
  }

  /// One attempt at one event, and what it means for the outbox.
  private func deliver(_ queued: QueuedWebhook) async -> Signal {
    let event = queued.event
    let now = Clock.unixMilliseconds()
    let headers = signer.headers(id: event.id, timestamp: now / 1000, body: event.body)
    let outcome = await sender.post(event.body, headers: headers)
    do throws(StoreError) {
      switch outcome {
      case .success(let answer) where (200..<300).contains(answer.status):
        metrics.webhooksDelivered.add(1, ordering: .relaxed)
        try await store.finishWebhook(seq: queued.seq)
      case .success(let answer) where answer.status == 410:
        logger.warning("webhook refused for good (410)", ["id": event.id])
        try await store.finishWebhook(seq: queued.seq)
      default:
        metrics.webhookFailures.add(1, ordering: .relaxed)
        let attempts = queued.attempts + 1
        if Clock.unixMilliseconds() - event.createdAt >= retryWindow {
          logger.error(
            "webhook given up after the retry window",
            ["id": event.id, "attempts": "\(attempts)", "last": Self.describe(outcome)])
          try await store.finishWebhook(seq: queued.seq)
        } else {
          let delay = WebhookBackoff.delay(afterAttempt: attempts, random: Double.random(in: 0..<1))
          logger.debug("webhook retry", ["id": event.id, "in_ms": "\(delay)"])
          try await store.retryWebhook(
            seq: queued.seq, attempts: attempts, nextAt: Clock.unixMilliseconds() + delay)
        }
      }
    } catch {
      logger.error("webhook outbox not updated", ["error": error.message])
    }
    return .finished(userKey: event.userKey)
  }

  private static func describe(_ outcome: WebhookSender.Outcome) -> String {
    switch outcome {
    case .success(let answer): "status \(answer.status)"
    case .failure(let error): error.message
    }
  }
}

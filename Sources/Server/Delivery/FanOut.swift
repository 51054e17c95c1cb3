import Protocol

/// Hands committed messages to the recipients' live sockets, one message at a time, in the
/// order the store committed them: so every socket sees its user's entries in offset order
/// and a `DeliveryCursor` needs to remember only the last one.
///
/// One task runs it for the whole process (`GatewayServer`). Its queue is unbounded in
/// type but bounded in fact: every queued job is a REST request waiting for its answer.
final class FanOut: Sendable {
  /// One committed message and the REST request waiting for it.
  struct Job: Sendable {
    var message: AppendedMessage
    /// Called with, per recipient in order, whether a live socket got it.
    var done: @Sendable ([Bool]) -> Void
  }

  private let jobs: AsyncStream<Job>
  private let input: AsyncStream<Job>.Continuation

  init() {
    (jobs, input) = AsyncStream.makeStream(of: Job.self, bufferingPolicy: .unbounded)
  }

  /// Queues a committed message (called by the store, in commit order).
  func enqueue(_ job: Job) {
    if case .terminated = input.yield(job) {
      job.done(Array(repeating: false, count: job.message.entries.count))
    }
  }

  /// Serves until `finish()`.
  func run(registry: RegistryActor, store: any MessageStore, metrics: Metrics) async {
    for await job in jobs {
      let reached = await deliver(job.message, registry: registry, metrics: metrics)
      var sent: [UserPosition] = []
      for (entry, wasReached) in zip(job.message.entries, reached) where wasReached {
        sent.append(entry)
      }
      store.markSent(sent, at: Clock.unixMilliseconds())
      job.done(reached)
    }
  }

  /// Ends `run` once the queued jobs are served.
  func finish() {
    input.finish()
  }

  private func deliver(_ message: AppendedMessage, registry: RegistryActor, metrics: Metrics)
    async -> [Bool]
  {
    let targets = await registry.targets(forEach: message.entries.map(\.userID))
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
      let packet = Delivery.persistedPacket(prefix: prefix, offset: entry.offset)
      reached.append(
        await Delivery.offer(packet, offset: entry.offset, to: sockets, metrics: metrics))
    }
    return reached
  }
}

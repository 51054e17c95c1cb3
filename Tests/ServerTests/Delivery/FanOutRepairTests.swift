import Protocol
import Synchronization
import Testing

@testable import Server

/// Cluster-mode gap repair when the store cannot be read: the socket gets nothing past the
/// gap until a later read fills it, so a failed read delays entries and never skips them.
@Suite struct FanOutRepairTests {
  @Test func aFailedRepairReadHoldsTheEntryBackAndALaterReadDeliversBothInOrder() async throws {
    let server = try await TestServer.start()
    var client = try await TestSocketIOClient.connected(port: server.port, userID: "u")
    let store = FlakyHistoryStore(server.context.delivery.store, failures: 1)
    // Entries 1 and 2 are committed; only 2 reaches this node (1 was lost on pub/sub).
    let now = Clock.unixMilliseconds()
    _ = try await StoreTestSupport.append(store, ["u"], event: "note", json: "1", now: now)
    let second = try StoreTestSupport.appended(
      try await StoreTestSupport.append(store, ["u"], event: "note", json: "2", now: now))
    let metrics = Metrics()
    let fanOut = FanOut()
    let running = Task {
      await fanOut.run(
        registry: server.context.registry, store: store, metrics: metrics, repairLimit: 100)
    }
    fanOut.enqueueRemote(second)
    // The first repair read fails; the retry (100 ms later) reads 1 and 2.
    #expect(await client.webSocket.nextText()?.hasPrefix(#"42["note",1,""#) == true)
    #expect(await client.webSocket.nextText()?.hasPrefix(#"42["note",2,""#) == true)
    #expect(metrics.gapRepairFailures.load() == 1)
    #expect(store.historyReads >= 2)
    fanOut.finish()
    await running.value
    client.webSocket.close()
    await server.stop()
  }

  /// An entry of an epoch the store no longer has (the user's history was erased while it
  /// was on its way) reads the current log once and moves on: the fan-out keeps serving.
  @Test func anEntryFromAGoneEpochDoesNotStallTheFanOut() async throws {
    let server = try await TestServer.start()
    var client = try await TestSocketIOClient.connected(port: server.port, userID: "u")
    let store = FlakyHistoryStore(server.context.delivery.store, failures: 0)
    let first = try StoreTestSupport.appended(
      try await StoreTestSupport.append(
        store, ["u"], event: "note", json: "1", now: Clock.unixMilliseconds()))
    let fanOut = FanOut()
    let running = Task {
      await fanOut.run(
        registry: server.context.registry, store: store, metrics: Metrics(), repairLimit: 100)
    }
    fanOut.enqueueRemote(first)
    #expect(await client.webSocket.nextText()?.hasPrefix(#"42["note",1,""#) == true)
    let gone = LogOffset(epoch: "gone", sequence: 5)
    fanOut.enqueueRemote(
      AppendedMessage(
        messageID: "m-gone", event: "note", messageJSON: Array("5".utf8),
        entries: [UserPosition(userID: "u", offset: gone)]))
    fanOut.enqueueLive(
      LiveEnvelope(event: "after", messageJSON: Array("0".utf8), userIDs: ["u"]))
    var frames: [String] = []
    while frames.count < 3, let frame = await client.webSocket.nextText() {
      frames.append(frame)
      if frame == #"42["after",0]"# { break }
    }
    #expect(frames.last == #"42["after",0]"#, "\(frames)")
    #expect(store.historyReads == 1)
    fanOut.finish()
    await running.value
    client.webSocket.close()
    await server.stop()
  }
}

/// The server's store, except that its first `failures` history reads fail.
private final class FlakyHistoryStore: MessageStore {
  private let inner: any MessageStore
  private let state: Mutex<(failures: Int, reads: Int)>

  init(_ inner: any MessageStore, failures: Int) {
    self.inner = inner
    state = Mutex((failures, 0))
  }

  var historyReads: Int { state.withLock { $0.reads } }

  func history(userID: String, after: LogOffset?, limit: Int, now: Int64)
    async throws(StoreError) -> HistoryPage
  {
    let fail = state.withLock { state in
      state.reads += 1
      guard state.failures > 0 else { return false }
      state.failures -= 1
      return true
    }
    if fail { throw StoreError("history read failed (test)") }
    return try await inner.history(userID: userID, after: after, limit: limit, now: now)
  }

  func append(
    _ request: AppendRequest,
    committed: @escaping @Sendable (Result<AppendResult, StoreError>) -> Void
  ) { inner.append(request, committed: committed) }
  func saveAnswer(idempotencyKey: String, status: Int, body: [UInt8]) {
    inner.saveAnswer(idempotencyKey: idempotencyKey, status: status, body: body)
  }
  func markSent(_ positions: [UserPosition], at now: Int64) { inner.markSent(positions, at: now) }
  func markDelivered(userID: String, upTo offset: LogOffset, at now: Int64)
    async throws(StoreError) -> [ReadReceipt]
  { try await inner.markDelivered(userID: userID, upTo: offset, at: now) }
  func markRead(userID: String, selection: ReadSelection, at now: Int64)
    async throws(StoreError) -> [ReadReceipt]
  { try await inner.markRead(userID: userID, selection: selection, at: now) }
  func queued(userID: String, now: Int64) async throws(StoreError) -> LogRead {
    try await inner.queued(userID: userID, now: now)
  }
  func recover(userID: String, after offset: LogOffset, limit: Int, now: Int64)
    async throws(StoreError) -> LogRead?
  { try await inner.recover(userID: userID, after: offset, limit: limit, now: now) }
  func message(id: String, now: Int64) async throws(StoreError) -> MessageRecord? {
    try await inner.message(id: id, now: now)
  }
  func deleteHistory(userID: String) async throws(StoreError) -> Int {
    try await inner.deleteHistory(userID: userID)
  }
  func changeMembers(room: String, add: [String], remove: [String]?) async throws(StoreError)
    -> RoomMembership
  { try await inner.changeMembers(room: room, add: add, remove: remove) }
  func enqueueWebhooks(_ events: [WebhookEvent]) async throws(StoreError) {
    try await inner.enqueueWebhooks(events)
  }
  func dueWebhooks(now: Int64, limit: Int, busy: Set<String>) async throws(StoreError)
    -> [QueuedWebhook]
  { try await inner.dueWebhooks(now: now, limit: limit, busy: busy) }
  func finishWebhook(seq: Int64) async throws(StoreError) {
    try await inner.finishWebhook(seq: seq)
  }
  func retryWebhook(seq: Int64, attempts: Int, nextAt: Int64) async throws(StoreError) {
    try await inner.retryWebhook(seq: seq, attempts: attempts, nextAt: nextAt)
  }
  func webhookBacklog() async throws(StoreError) -> Int { try await inner.webhookBacklog() }
  func allMemberships() async throws(StoreError) -> [RoomMembership] {
    try await inner.allMemberships()
  }
  func counts(now: Int64) async throws(StoreError) -> StoreCounts {
    try await inner.counts(now: now)
  }
  var metrics: StoreMetrics { inner.metrics }
  var recoverySecret: [UInt8] { inner.recoverySecret }
  func close() { inner.close() }
}

import Testing

@testable import Server

@Suite struct SQLiteMessageStoreWebhooksTests {
  private func event(_ user: String, _ index: Int) -> WebhookEvent {
    WebhookEvent(id: "msg_\(user)_\(index)", userKey: user, body: Array("{}".utf8), createdAt: 1000)
  }

  @Test func eachUsersOldestEventIsDueAndAFailureHoldsBackOnlyThatUser() async throws {
    let store = try SQLiteMessageStore(path: nil, settings: StoreTestSupport.settings())
    defer { store.close() }
    try await store.enqueueWebhooks([event("a", 1), event("b", 1), event("a", 2)])
    var due = try await store.dueWebhooks(now: 1000, limit: 10, busy: [])
    #expect(due.map(\.event.id) == ["msg_a_1", "msg_b_1"])
    #expect(
      try await store.dueWebhooks(now: 1000, limit: 10, busy: ["a"]).map(\.event.id) == ["msg_b_1"])
    try await store.retryWebhook(seq: due[0].seq, attempts: 1, nextAt: 5000)
    try await store.finishWebhook(seq: due[1].seq)
    #expect(try await store.dueWebhooks(now: 1000, limit: 10, busy: []).isEmpty)
    due = try await store.dueWebhooks(now: 5000, limit: 10, busy: [])
    #expect(due.map(\.event.id) == ["msg_a_1"] && due[0].attempts == 1)
    try await store.finishWebhook(seq: due[0].seq)
    #expect(
      try await store.dueWebhooks(now: 5000, limit: 10, busy: []).map(\.event.id) == ["msg_a_2"])
    #expect(try await store.webhookBacklog() == 1)
  }

  @Test func receiptsAndExpiryQueueTheirEventsInTheSameCommit() async throws {
    var settings = StoreTestSupport.settings()
    settings.webhooks = true
    let store = try SQLiteMessageStore(path: nil, settings: settings)
    defer { store.close() }
    let read = try StoreTestSupport.appended(try await StoreTestSupport.append(store, ["u"]))
    let expiring = try StoreTestSupport.appended(
      try await StoreTestSupport.append(store, ["u"], ttl: 1))
    _ = try await store.markRead(
      userID: "u", selection: .messageIDs([read.messageID]), at: 1_000_100)
    try await store.sweepNow(now: 1_002_000)
    let bodies = try await store.dueWebhooks(now: 2_000_000, limit: 10, busy: []).map {
      String(decoding: $0.event.body, as: UTF8.self)
    }
    #expect(bodies.count == 1, "one user: its events leave one at a time")
    #expect(bodies[0].contains(#""type":"message.read""#) && bodies[0].contains(read.messageID))
    #expect(try await store.webhookBacklog() == 2)
    _ = expiring
  }
}

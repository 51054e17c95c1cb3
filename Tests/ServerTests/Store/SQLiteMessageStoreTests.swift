import Glibc
import Testing

@testable import Server

@Suite struct SQLiteMessageStoreTests {
  typealias Support = StoreTestSupport

  @Test func offsetsIncreasePerUserWithinOneEpoch() async throws {
    let store = try SQLiteMessageStore(path: nil, settings: Support.settings())
    defer { store.close() }
    let first = try Support.appended(try await Support.append(store, ["a", "b"]))
    let second = try Support.appended(try await Support.append(store, ["a"]))
    #expect(first.entries.map(\.offset.sequence) == [1, 1])
    #expect(second.entries[0].offset.sequence == 2)
    #expect(second.entries[0].offset.epoch == first.entries[0].offset.epoch)
    #expect(first.entries[0].offset.epoch != first.entries[1].offset.epoch)
    #expect(LogOffset(parsing: second.entries[0].offset.string) == second.entries[0].offset)
  }

  @Test func aFileStoreKeepsMessagesAndItsSecretAcrossReopening() async throws {
    let folder = Support.temporaryFolder()
    let path = folder + "/nested/gateway.db"
    let store = try SQLiteMessageStore(path: path, settings: Support.settings())
    let message = try Support.appended(try await Support.append(store, ["u"], json: #"{"k":1}"#))
    let secret = store.recoverySecret
    store.close()
    let reopened = try SQLiteMessageStore(path: path, settings: Support.settings())
    defer { reopened.close() }
    #expect(reopened.recoverySecret == secret)
    let queued = try await reopened.queued(userID: "u", now: 1_000_001)
    #expect(queued.entries.map(\.messageID) == [message.messageID])
    #expect(queued.entries.first?.messageJSON == Array(#"{"k":1}"#.utf8))
    #expect(queued.head == message.entries[0].offset)
  }

  @Test func aCorruptFileOrAnImpossiblePathIsOneClearError() throws {
    let folder = Support.temporaryFolder()
    let corrupt = folder + "/corrupt.db"
    let file = fopen(corrupt, "w")
    fputs(String(repeating: "this is not a database ", count: 400), file)
    fclose(file)
    #expect {
      try SQLiteMessageStore(path: corrupt, settings: Support.settings())
    } throws: { error in
      (error as? StoreError)?.message.contains("not a database") == true
    }
    #expect {
      try SQLiteMessageStore(
        path: corrupt + "/under-a-file/gateway.db", settings: Support.settings())
    } throws: { error in
      (error as? StoreError)?.message.contains("cannot create folder") == true
    }
  }

  @Test func historyPagesInOrderAndEndsWithNullNext() async throws {
    let store = try SQLiteMessageStore(path: nil, settings: Support.settings())
    defer { store.close() }
    for index in 1...5 { _ = try await Support.append(store, ["u"], json: "\(index)") }
    let first = try await store.history(userID: "u", after: nil, limit: 2, now: 1_000_001)
    #expect(first.entries.map { String(decoding: $0.messageJSON, as: UTF8.self) } == ["1", "2"])
    let second = try await store.history(userID: "u", after: first.next, limit: 2, now: 1_000_001)
    #expect(second.entries.map(\.offset.sequence) == [3, 4])
    let last = try await store.history(userID: "u", after: second.next, limit: 2, now: 1_000_001)
    #expect(last.entries.map(\.offset.sequence) == [5])
    #expect(last.next == nil)
    let nobody = try await store.history(userID: "nobody", after: nil, limit: 2, now: 1_000_001)
    #expect(nobody.entries.isEmpty && nobody.next == nil)
  }

  @Test func retentionDropsTheOldestOverTheLimitAndExpiresPastTheTTL() async throws {
    let store = try SQLiteMessageStore(path: nil, settings: Support.settings(maxPerUser: 3))
    defer { store.close() }
    for index in 1...5 { _ = try await Support.append(store, ["u"], json: "\(index)") }
    let kept = try await store.history(userID: "u", after: nil, limit: 10, now: 1_000_001)
    #expect(kept.entries.map(\.offset.sequence) == [3, 4, 5])
    let short = try Support.appended(try await Support.append(store, ["v"], ttl: 1))
    let later = Int64(1_000_000 + 1500)
    #expect(try await store.history(userID: "v", after: nil, limit: 10, now: later).entries.isEmpty)
    let record = try #require(try await store.message(id: short.messageID, now: later))
    #expect(record.recipients.map(\.state) == [.expired])
    #expect(try await store.queued(userID: "v", now: later).entries.isEmpty)
  }

  @Test func anIdempotencyKeyReturnsTheFirstMessageAndItsSavedAnswer() async throws {
    let store = try SQLiteMessageStore(path: nil, settings: Support.settings())
    defer { store.close() }
    let first = try Support.appended(try await Support.append(store, ["u"], key: "k"))
    guard case .duplicate(let id, nil, nil) = try await Support.append(store, ["u"], key: "k")
    else {
      Issue.record("expected a duplicate without an answer yet")
      return
    }
    #expect(id == first.messageID)
    store.saveAnswer(idempotencyKey: "k", status: 201, body: Array("{}".utf8))
    guard case .duplicate(_, 201?, let answer?) = try await Support.append(store, ["u"], key: "k")
    else {
      Issue.record("expected the saved answer")
      return
    }
    #expect(answer == Array("{}".utf8))
    #expect(
      try await store.history(userID: "u", after: nil, limit: 10, now: 1_000_001).entries.count == 1
    )
  }

  @Test func keysAndUserIDsWithANULAreStoredWhole() async throws {
    let store = try SQLiteMessageStore(path: nil, settings: Support.settings())
    defer { store.close() }
    _ = try Support.appended(try await Support.append(store, ["u"], key: "caller\u{0}one"))
    _ = try Support.appended(try await Support.append(store, ["u"], key: "caller\u{0}two"))
    _ = try Support.appended(try await Support.append(store, ["a\u{0}b"]))
    #expect(
      try await store.history(userID: "a", after: nil, limit: 10, now: 1_000_001).entries.isEmpty)
    let whole = try await store.history(userID: "a\u{0}b", after: nil, limit: 10, now: 1_000_001)
    #expect(whole.entries.count == 1)
  }

  @Test func aCollapseKeyReplacesOnlyAStillQueuedMessage() async throws {
    let store = try SQLiteMessageStore(path: nil, settings: Support.settings())
    defer { store.close() }
    let old = try Support.appended(
      try await Support.append(store, ["u"], json: "1", collapseKey: "n"))
    _ = try await Support.append(store, ["u"], json: "2", collapseKey: "n")
    var queued = try await store.queued(userID: "u", now: 1_000_001)
    #expect(queued.entries.map { String(decoding: $0.messageJSON, as: UTF8.self) } == ["2"])
    store.markSent([UserPosition(userID: "u", offset: queued.entries[0].offset)], at: 1_000_001)
    _ = try await Support.append(store, ["u"], json: "3", collapseKey: "n")
    queued = try await store.queued(userID: "u", now: 1_000_002)
    #expect(queued.entries.map { String(decoding: $0.messageJSON, as: UTF8.self) } == ["3"])
    let history = try await store.history(userID: "u", after: nil, limit: 10, now: 1_000_002)
    #expect(history.entries.map(\.offset.sequence) == [2, 3])
    // The replaced one still counts as retained: a recovery from before it is whole.
    let start = LogOffset(epoch: old.entries[0].offset.epoch, sequence: 0)
    let recovered = try await store.recover(userID: "u", after: start, limit: 10, now: 1_000_002)
    #expect(recovered?.entries.map(\.offset.sequence) == [2, 3])
  }

  @Test func recoveryIsAllOrNothing() async throws {
    let store = try SQLiteMessageStore(path: nil, settings: Support.settings(maxPerUser: 3))
    defer { store.close() }
    let first = try Support.appended(try await Support.append(store, ["u"]))
    let epoch = first.entries[0].offset.epoch
    _ = try await Support.append(store, ["u"])
    let now: Int64 = 1_000_001
    let fromOne = try await store.recover(
      userID: "u", after: LogOffset(epoch: epoch, sequence: 1), limit: 10, now: now)
    #expect(fromOne?.entries.map(\.offset.sequence) == [2])
    #expect(
      try await store.recover(
        userID: "u", after: LogOffset(epoch: epoch, sequence: 0), limit: 1, now: now) == nil)
    #expect(
      try await store.recover(
        userID: "u", after: LogOffset(epoch: "other", sequence: 1), limit: 10, now: now) == nil)
    #expect(
      try await store.recover(
        userID: "u", after: LogOffset(epoch: epoch, sequence: 9), limit: 10, now: now) == nil)
    for _ in 0..<3 { _ = try await Support.append(store, ["u"]) }
    // Sequences 1 and 2 were trimmed: not all retained.
    #expect(
      try await store.recover(
        userID: "u", after: LogOffset(epoch: epoch, sequence: 1), limit: 10, now: now) == nil)
  }

  @Test func erasingHistoryStartsANewEpochSoOldOffsetsRecoverNothing() async throws {
    let store = try SQLiteMessageStore(path: nil, settings: Support.settings())
    defer { store.close() }
    let old = try Support.appended(try await Support.append(store, ["u"]))
    _ = try await Support.append(store, ["u"])
    #expect(try await store.deleteHistory(userID: "u") == 2)
    let fresh = try Support.appended(try await Support.append(store, ["u"]))
    #expect(fresh.entries[0].offset.epoch != old.entries[0].offset.epoch)
    #expect(fresh.entries[0].offset.sequence == 1)
    #expect(
      try await store.recover(userID: "u", after: old.entries[0].offset, limit: 10, now: 1_000_001)
        == nil)
  }

  @Test func receiptsMoveStatesForwardOnlyAndNameTheAuthor() async throws {
    let store = try SQLiteMessageStore(path: nil, settings: Support.settings())
    defer { store.close() }
    let one = try Support.appended(try await Support.append(store, ["u"], from: "author"))
    let two = try Support.appended(try await Support.append(store, ["u"]))
    let now: Int64 = 1_000_001
    let receipts = try await store.markRead(
      userID: "u", selection: .messageIDs([one.messageID]), at: now)
    #expect(receipts.map(\.from) == ["author"])
    #expect(
      try await store.markRead(userID: "u", selection: .messageIDs([one.messageID]), at: now)
        .isEmpty)
    #expect(
      try await store.markDelivered(userID: "u", upTo: two.entries[0].offset, at: now).count == 1)
    let states = try await store.history(userID: "u", after: nil, limit: 10, now: now).entries.map(
      \.state)
    #expect(states == [.read, .delivered])
    // Another user's report names nothing of this user's.
    #expect(
      try await store.markRead(userID: "x", selection: .messageIDs([two.messageID]), at: now)
        .isEmpty)
  }

  @Test func concurrentAppendsAllCommitInOneOrderPerUser() async throws {
    let folder = Support.temporaryFolder()
    let store = try SQLiteMessageStore(path: folder + "/g.db", settings: Support.settings())
    let sequences = try await withThrowingTaskGroup(of: Int64.self) { group in
      for _ in 0..<200 {
        group.addTask {
          try Support.appended(try await Support.append(store, ["u"])).entries[0].offset.sequence
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(Set(sequences) == Set(1...200))
    store.close()
    let reopened = try SQLiteMessageStore(path: folder + "/g.db", settings: Support.settings())
    defer { reopened.close() }
    #expect(try await reopened.queued(userID: "u", now: 1_000_001).entries.count == 200)
  }
}

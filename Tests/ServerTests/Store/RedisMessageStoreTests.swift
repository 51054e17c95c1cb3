import Testing

@testable import Server

@Suite(
  .enabled(
    if: TestRedisServer.isInstalled,
    "redis-server is not installed at /usr/bin/redis-server (scripts/setup installs it)"))
struct RedisMessageStoreTests {
  typealias Support = StoreTestSupport
  typealias Harness = RedisStoreHarness

  /// Runs `body` with one store on a fresh Redis.
  static func withStore(
    _ settings: RedisMessageStore.Settings = Harness.settings(),
    _ body: (RedisMessageStore, Harness) async throws -> Void
  ) async throws {
    let harness = try await Harness()
    do {
      try await body(try await harness.store(settings), harness)
    } catch {
      await harness.finish()
      throw error
    }
    await harness.finish()
  }

  @Test func offsetsIncreasePerUserWithinOneEpoch() async throws {
    try await Self.withStore { store, _ in
      let first = try Support.appended(try await Support.append(store, ["a", "b"]))
      let second = try Support.appended(try await Support.append(store, ["a"]))
      #expect(first.entries.map(\.offset.sequence) == [1, 1])
      #expect(second.entries[0].offset.sequence == 2)
      #expect(second.entries[0].offset.epoch == first.entries[0].offset.epoch)
      #expect(first.entries[0].offset.epoch != first.entries[1].offset.epoch)
      #expect(first.remoteReached == [false, false])
      let queued = try await store.queued(userID: "a", now: 1_000_001)
      #expect(queued.entries.map(\.messageID) == [first.messageID, second.messageID])
      #expect(queued.head == second.entries[0].offset)
    }
  }

  @Test func historyPagesInOrderAndEndsWithNullNext() async throws {
    try await Self.withStore { store, _ in
      for index in 1...5 { _ = try await Support.append(store, ["u"], json: "\(index)") }
      let first = try await store.history(userID: "u", after: nil, limit: 2, now: 1_000_001)
      #expect(first.entries.map { String(decoding: $0.messageJSON, as: UTF8.self) } == ["1", "2"])
      let second = try await store.history(
        userID: "u", after: first.next, limit: 2, now: 1_000_001)
      #expect(second.entries.map(\.offset.sequence) == [3, 4])
      let last = try await store.history(userID: "u", after: second.next, limit: 2, now: 1_000_001)
      #expect(last.entries.map(\.offset.sequence) == [5])
      #expect(last.next == nil)
      let nobody = try await store.history(userID: "nobody", after: nil, limit: 2, now: 1_000_001)
      #expect(nobody.entries.isEmpty && nobody.next == nil)
    }
  }

  @Test func retentionDropsTheOldestOverTheLimitAndExpiresPastTheTTL() async throws {
    try await Self.withStore(Harness.settings(maxPerUser: 3)) { store, harness in
      for index in 1...5 { _ = try await Support.append(store, ["u"], json: "\(index)") }
      let kept = try await store.history(userID: "u", after: nil, limit: 10, now: 1_000_001)
      #expect(kept.entries.map(\.offset.sequence) == [3, 4, 5])
      let length = try await harness.connection().send([["XLEN", "gw:{u}:log"]])
      #expect(length == [.integer(3)])
      let short = try Support.appended(try await Support.append(store, ["v"], ttl: 1))
      let later = Int64(1_000_000 + 1500)
      #expect(
        try await store.history(userID: "v", after: nil, limit: 10, now: later).entries.isEmpty)
      let record = try #require(try await store.message(id: short.messageID, now: later))
      #expect(record.recipients.map(\.state) == [.expired])
      #expect(try await store.queued(userID: "v", now: later).entries.isEmpty)
      let counts = try await store.counts(now: later)
      #expect(counts.expired == 1)
      #expect(counts.queued == 3)
      try await store.sweepNow(now: later)
      #expect(try await store.counts(now: later).expired == 1)
    }
  }

  @Test func anIdempotencyKeyReturnsTheFirstMessageAndItsSavedAnswer() async throws {
    try await Self.withStore { store, _ in
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
        try await store.history(userID: "u", after: nil, limit: 10, now: 1_000_001).entries.count
          == 1)
    }
  }

  @Test func keysAndUserIDsWithANULOrBracesAreStoredWhole() async throws {
    try await Self.withStore { store, _ in
      _ = try Support.appended(try await Support.append(store, ["u"], key: "caller\u{0}one"))
      _ = try Support.appended(try await Support.append(store, ["u"], key: "caller\u{0}two"))
      _ = try Support.appended(try await Support.append(store, ["a\u{0}b"]))
      _ = try Support.appended(try await Support.append(store, ["x}:y{"]))
      #expect(
        try await store.history(userID: "a", after: nil, limit: 10, now: 1_000_001).entries.isEmpty)
      let whole = try await store.history(userID: "a\u{0}b", after: nil, limit: 10, now: 1_000_001)
      #expect(whole.entries.count == 1)
      #expect(
        try await store.queued(userID: "x}:y{", now: 1_000_001).entries.count == 1)
    }
  }

  @Test func aCollapseKeyReplacesOnlyAStillQueuedMessage() async throws {
    try await Self.withStore { store, _ in
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
      #expect(history.entries.map(\.state) == [.sent, .queued])
      let start = LogOffset(epoch: old.entries[0].offset.epoch, sequence: 0)
      let recovered = try await store.recover(userID: "u", after: start, limit: 10, now: 1_000_002)
      #expect(recovered?.entries.map(\.offset.sequence) == [2, 3])
      #expect(
        try await store.message(id: old.messageID, now: 1_000_002)?.recipients.isEmpty == true)
    }
  }

  @Test func recoveryIsAllOrNothing() async throws {
    try await Self.withStore(Harness.settings(maxPerUser: 3)) { store, _ in
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
      let none = try await store.recover(
        userID: "new", after: LogOffset(epoch: "none", sequence: 0), limit: 10, now: now)
      #expect(none?.entries.isEmpty == true && none?.head.epoch == "none")
      for _ in 0..<3 { _ = try await Support.append(store, ["u"]) }
      #expect(
        try await store.recover(
          userID: "u", after: LogOffset(epoch: epoch, sequence: 1), limit: 10, now: now) == nil)
      #expect(
        try await store.recover(
          userID: "u", after: LogOffset(epoch: epoch, sequence: 2), limit: 10, now: now)?.entries
          .count == 3)
    }
  }

  @Test func erasingHistoryStartsANewEpochSoOldOffsetsRecoverNothing() async throws {
    try await Self.withStore { store, _ in
      let old = try Support.appended(try await Support.append(store, ["u"]))
      _ = try await Support.append(store, ["u"])
      #expect(try await store.deleteHistory(userID: "u") == 2)
      let fresh = try Support.appended(try await Support.append(store, ["u"]))
      #expect(fresh.entries[0].offset.epoch != old.entries[0].offset.epoch)
      #expect(fresh.entries[0].offset.sequence == 1)
      #expect(
        try await store.recover(
          userID: "u", after: old.entries[0].offset, limit: 10, now: 1_000_001) == nil)
      #expect(
        try await store.message(id: old.messageID, now: 1_000_001)?.recipients.isEmpty == true)
    }
  }

  @Test func aRedisThatLostItsDataGivesANewEpoch() async throws {
    try await Self.withStore { store, harness in
      let old = try Support.appended(try await Support.append(store, ["u"]))
      #expect(try await harness.connection().send([["FLUSHALL"]]) == [.simpleString("OK")])
      let fresh = try Support.appended(try await Support.append(store, ["u"]))
      #expect(fresh.entries[0].offset.epoch != old.entries[0].offset.epoch)
      #expect(fresh.entries[0].offset.sequence == 1)
      #expect(
        try await store.recover(
          userID: "u", after: old.entries[0].offset, limit: 10, now: 1_000_001) == nil)
    }
  }

  @Test func receiptsMoveStatesForwardOnlyAndNameTheAuthor() async throws {
    try await Self.withStore { store, _ in
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
        try await store.markDelivered(userID: "u", upTo: two.entries[0].offset, at: now).count
          == 1)
      let states = try await store.history(userID: "u", after: nil, limit: 10, now: now).entries
        .map(\.state)
      #expect(states == [.read, .delivered])
      #expect(
        try await store.markRead(userID: "x", selection: .messageIDs([two.messageID]), at: now)
          .isEmpty)
      #expect(
        try await store.markRead(userID: "u", selection: .upTo(two.entries[0].offset), at: now)
          .map(\.messageID) == [two.messageID])
      let record = try #require(try await store.message(id: one.messageID, now: now))
      #expect(record.from == "author" && record.recipients.count == 1)
      #expect(record.recipients[0].readAt == now && record.recipients[0].deliveredAt == now)
      #expect(try await store.counts(now: now).queued == 0)
    }
  }

  @Test func roomsKeepOrderAndVersionsIncrease() async throws {
    try await Self.withStore { store, _ in
      let first = try await store.changeMembers(room: "r", add: ["a", "b"], remove: nil)
      #expect(first.added == 2 && first.members.map(\.userID) == ["a", "b"])
      let second = try await store.changeMembers(room: "r", add: ["a", "c"], remove: ["b"])
      #expect(second.added == 1 && second.removed == 1)
      #expect(second.members.map(\.userID) == ["a", "c"])
      #expect(second.version > first.version)
      #expect(second.members[1].position > first.members[1].position)
      _ = try await store.changeMembers(room: "other", add: ["z"], remove: nil)
      let all = try await store.allMemberships()
      #expect(all.map(\.room) == ["other", "r"])
      let cleared = try await store.changeMembers(room: "r", add: [], remove: nil)
      #expect(cleared.removed == 2 && cleared.members.isEmpty)
      #expect(try await store.allMemberships().map(\.room) == ["other"])
    }
  }
}

import Testing

@testable import Server

@Suite struct DeliveryCursorTests {
  private func offset(_ sequence: Int64, epoch: String = "E") -> LogOffset {
    LogOffset(epoch: epoch, sequence: sequence)
  }

  private func text(_ value: String) -> OutboundPacket { .text(Array(value.utf8)) }

  private func drained(_ outbox: SessionOutbox) async throws -> [OutboundPacket] {
    let pair = try TestChannelPair()
    defer { Task { await pair.close() } }
    guard case .packets(let packets) = await outbox.poll(on: pair.server) else { return [] }
    return packets
  }

  @Test func pushesDuringAReplayAreHeldThenOnlyThoseAfterTheReplayGoOut() async throws {
    let outbox = SessionOutbox(sid: "s", webSocket: nil, limit: 1 << 20)
    let cursor = DeliveryCursor(outbox: outbox)
    #expect(cursor.offer(text("p4"), offset: offset(4)) == .queued)
    #expect(cursor.offer(text("live"), offset: nil) == .queued)
    #expect(cursor.offer(text("p6"), offset: offset(6)) == .queued)
    _ = cursor.finishReplay(head: offset(5), packets: [text("r5")])
    #expect(cursor.offer(text("p6"), offset: offset(6)) == .queued)
    #expect(cursor.offer(text("p7"), offset: offset(7)) == .queued)
    #expect(try await drained(outbox) == [text("r5"), text("live"), text("p6"), text("p7")])
  }

  @Test func aNewEpochStartsTheCountAgain() async throws {
    let outbox = SessionOutbox(sid: "s", webSocket: nil, limit: 1 << 20)
    let cursor = DeliveryCursor(outbox: outbox)
    _ = cursor.finishReplay(head: offset(9), packets: [])
    _ = cursor.offer(text("old"), offset: offset(3))
    _ = cursor.offer(text("new"), offset: offset(1, epoch: "F"))
    #expect(try await drained(outbox) == [text("new")])
  }

  @Test func saysWhatIsMissingBeforeAnEntryThatSkipsAhead() {
    let cursor = DeliveryCursor(outbox: SessionOutbox(sid: "s", webSocket: nil, limit: 1 << 20))
    #expect(cursor.missing(before: offset(9)) == nil)  // still replaying: the read covers it
    #expect(cursor.position == nil)
    _ = cursor.finishReplay(head: offset(4), packets: [])
    #expect(cursor.position == offset(4))
    #expect(cursor.missing(before: offset(5)) == nil)
    #expect(cursor.missing(before: offset(3)) == nil)  // an old one: dropped, not a gap
    #expect(cursor.missing(before: offset(7)) == offset(4))
    // A new epoch starts a new log at 1: its first entry is not a gap, a later one is.
    #expect(cursor.missing(before: offset(1, epoch: "F")) == nil)
    #expect(cursor.missing(before: offset(7, epoch: "F")) == offset(0, epoch: "F"))
    _ = cursor.offer(text("p5"), offset: offset(5))
    #expect(cursor.position == offset(5))
    #expect(cursor.missing(before: offset(7)) == offset(5))
  }

  /// A socket that joined before its user had a log: entry 2 arriving first (entries of two
  /// nodes crossed, or 1 was lost on pub/sub) must not let the cursor skip entry 1.
  @Test func aSocketThatJoinedBeforeAnyLogSeesAGapBeforeEntryTwo() async throws {
    let outbox = SessionOutbox(sid: "s", webSocket: nil, limit: 1 << 20)
    let cursor = DeliveryCursor(outbox: outbox)
    _ = cursor.finishReplay(head: offset(0, epoch: "none"), packets: [])
    #expect(cursor.missing(before: offset(1)) == nil)
    #expect(cursor.missing(before: offset(2)) == offset(0))
    _ = cursor.offer(text("p1"), offset: offset(1))
    _ = cursor.offer(text("p2"), offset: offset(2))
    #expect(try await drained(outbox) == [text("p1"), text("p2")])
  }

  @Test func tooManyHeldPushesMakeTheSocketASlowConsumer() {
    let cursor = DeliveryCursor(outbox: SessionOutbox(sid: "s", webSocket: nil, limit: 1 << 30))
    for index in 0..<DeliveryCursor.holdLimit {
      _ = cursor.offer(text("x"), offset: offset(Int64(index)))
    }
    #expect(cursor.offer(text("x"), offset: nil) == .overLimit)
  }
}

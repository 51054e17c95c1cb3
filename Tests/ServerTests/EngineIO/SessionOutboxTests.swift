import Protocol
import Testing

@testable import Server

@Suite struct SessionOutboxTests {
  private func text(_ string: String) -> OutboundPacket { .text(Array(string.utf8)) }

  @Test func packetsQueuedBeforeAPollAreAllReturnedInOrder() async throws {
    let pair = try TestChannelPair()
    let outbox = SessionOutbox(sid: "s", webSocket: nil, limit: 1000)
    #expect(outbox.send(text("4a")) == .queued)
    #expect(outbox.send([text("4b"), .binary([1, 2])]) == .queued)
    #expect(
      await outbox.poll(on: pair.server) == .packets([text("4a"), text("4b"), .binary([1, 2])]))
    await pair.close()
  }

  @Test func aWaitingPollIsResumedByTheNextSend() async throws {
    let pair = try TestChannelPair()
    let outbox = SessionOutbox(sid: "s", webSocket: nil, limit: 1000)
    async let polled = outbox.poll(on: pair.server)
    #expect(await TestServer.eventually { outbox.send(text("4x")) == .queued })
    #expect(await polled == .packets([text("4x")]))
    await pair.close()
  }

  @Test func aSecondConcurrentPollIsAConflict() async throws {
    let pair = try TestChannelPair()
    let outbox = SessionOutbox(sid: "s", webSocket: nil, limit: 1000)
    async let first = outbox.poll(on: pair.server)
    #expect(await TestServer.eventually { outbox.isPollWaiting })
    #expect(await outbox.poll(on: pair.server) == .conflict)
    outbox.close()
    #expect(await first == .closed([]))
    await pair.close()
  }

  @Test func overTheLimitNothingIsQueued() async throws {
    let pair = try TestChannelPair()
    let outbox = SessionOutbox(sid: "s", webSocket: nil, limit: 4)
    #expect(outbox.send(text("4abc")) == .queued)
    #expect(outbox.send(text("4d")) == .overLimit)
    #expect(await outbox.poll(on: pair.server) == .packets([text("4abc")]))
    await pair.close()
  }

  @Test func anUpgradeReleasesThePollAndFlushesTheQueueOntoTheWebSocketInOrder() async throws {
    let pair = try TestChannelPair()
    let outbox = SessionOutbox(sid: "s", webSocket: nil, limit: 1000)
    async let polled = outbox.poll(on: pair.server)
    #expect(outbox.beginProbe())
    #expect(!outbox.beginProbe())
    #expect(await TestServer.eventually { outbox.isPollWaiting })
    outbox.releasePendingPoll()
    #expect(await polled == .noop)
    outbox.send(text("4one"))
    #expect(outbox.completeUpgrade(to: pair.server) == .queued)
    outbox.send(text("4two"))
    var expected: [UInt8] = []
    WebSocketFrameEncoder.encode(opcode: .text, payload: Array("4one".utf8), into: &expected)
    WebSocketFrameEncoder.encode(opcode: .text, payload: Array("4two".utf8), into: &expected)
    #expect(await pair.readFromClient(count: expected.count) == expected)
    #expect(outbox.transport == .websocket)
    await pair.close()
  }

  @Test func closeAnswersAWaitingPollWithTheCloseMarker() async throws {
    let pair = try TestChannelPair()
    let outbox = SessionOutbox(sid: "s", webSocket: nil, limit: 1000)
    async let polled = outbox.poll(on: pair.server)
    #expect(await TestServer.eventually { outbox.isPollWaiting })
    outbox.close()
    #expect(await polled == .closed([]))
    #expect(outbox.send(text("4late")) == .closed)
    await pair.close()
  }
}

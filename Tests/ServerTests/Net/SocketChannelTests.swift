import Glibc
import Protocol
import Testing

@testable import Server

@Suite struct SocketChannelTests {
  @Test func writesLargerThanTheSocketBufferAreQueuedAndDrainedInOrder() async throws {
    let pair = try TestChannelPair(sendBuffer: 4096)
    let chunks = (0..<64).map { index in [UInt8](repeating: UInt8(index), count: 4000) }
    for chunk in chunks { #expect(pair.server.write(chunk) == .queued) }
    // The kernel cannot take 256 KB at once through a 4 KB buffer: some of it waited.
    let received = await pair.readFromClient(count: 64 * 4000)
    #expect(received == chunks.flatMap { $0 })
    await pair.server.flush()
    #expect(pair.server.queuedBytes == 0)
    await pair.close()
  }

  @Test func writesPastTheOutboundLimitAreRefused() async throws {
    let pair = try TestChannelPair(sendBuffer: 4096, outboundLimit: 64 * 1024)
    var outcome = WriteOutcome.queued
    var written = 0
    while outcome == .queued, written < 10_000_000 {
      outcome = pair.server.write([UInt8](repeating: 7, count: 8192))
      written += 8192
    }
    #expect(outcome == .overLimit)
    await pair.close()
  }

  @Test(.timeLimit(.minutes(1)))
  func readsEverythingThenWouldBlockThenEndOfFile() async throws {
    let pair = try TestChannelPair()
    pair.writeFromClient(Array("hello".utf8))
    var buffer = ByteBuffer()
    var readable = pair.server.readable.makeAsyncIterator()
    var total = 0
    while total < 5 {
      switch pair.server.read(into: &buffer) {
      case .bytes(let count): total += count
      case .wouldBlock: _ = await readable.next()
      case .endOfFile, .failed: Issue.record("unexpected end")
      }
    }
    #expect(Array(buffer.readableBytesView) == Array("hello".utf8))
    #expect(pair.server.read(into: &buffer) == .wouldBlock)
    Glibc.shutdown(pair.clientFD, Int32(SHUT_WR))
    // The stream may still hold the edge of "hello" (it buffers the newest one), so the
    // first wake-up can come before the loop thread has seen the FIN: the read waits on
    // `.wouldBlock` until the hang-up's edge lets it see the end.
    #expect(await pair.readPastWouldBlock(into: &buffer, waitingOn: &readable) == .endOfFile)
    #expect(Array(buffer.readableBytesView) == Array("hello".utf8))
    await pair.close()
  }

  @Test func burstsArriveWholeAcrossShortAndFullReads() async throws {
    // A short read disarms `recv` until the next edge; a full one (64 KB) does not.
    let pair = try TestChannelPair()
    var buffer = ByteBuffer()
    var readable = pair.server.readable.makeAsyncIterator()
    var expected: [UInt8] = []
    for round in 0..<40 {
      let burst = [UInt8](repeating: UInt8(round), count: round % 3 == 0 ? 70_000 : 1 + round)
      expected += burst
      pair.writeFromClient(burst)
      while buffer.readableBytes < expected.count {
        switch pair.server.read(into: &buffer) {
        case .bytes: continue
        case .wouldBlock: _ = await readable.next()
        case .endOfFile, .failed:
          Issue.record("unexpected end")
          return
        }
      }
      #expect(pair.server.read(into: &buffer) == .wouldBlock)
    }
    #expect(Array(buffer.readableBytesView) == expected)
    await pair.close()
  }

  @Test(.timeLimit(.minutes(1)))
  func endOfStreamThatCameWithTheLastDataIsStillSeen() async throws {
    // Both edges (data, then FIN) are spent before the read that returns the data; the
    // read after it must still ask the kernel and see the end of the stream.
    let pair = try TestChannelPair()
    var readable = pair.server.readable.makeAsyncIterator()
    pair.writeFromClient(Array("last words".utf8))
    try await Task.sleep(for: .milliseconds(50))
    Glibc.shutdown(pair.clientFD, Int32(SHUT_WR))
    try await Task.sleep(for: .milliseconds(50))
    _ = await readable.next()
    var buffer = ByteBuffer()
    #expect(pair.server.read(into: &buffer) == .bytes(10))
    #expect(await pair.readPastWouldBlock(into: &buffer, waitingOn: &readable) == .endOfFile)
    #expect(Array(buffer.readableBytesView) == Array("last words".utf8))
    await pair.close()
  }

  @Test func shutdownFromAnotherTaskWakesAParkedReader() async throws {
    let pair = try TestChannelPair()
    let reader = Task {
      var readable = pair.server.readable.makeAsyncIterator()
      var buffer = ByteBuffer()
      while true {
        switch pair.server.read(into: &buffer) {
        case .bytes: continue
        case .wouldBlock:
          if await readable.next() == nil { return true }
        case .endOfFile, .failed: return true
        }
      }
    }
    try await Task.sleep(for: .milliseconds(20))
    pair.server.shutdown()
    #expect(await reader.value)
    #expect(pair.server.write([1]) == .closed)
    await pair.close()
  }

  @Test func hangupIsReportedToAnObserver() async throws {
    let pair = try TestChannelPair()
    let seen = AsyncStream<Void>.makeStream()
    #expect(pair.server.observeHangup { seen.continuation.yield() })
    Glibc.close(pair.clientFD)
    var iterator = seen.stream.makeAsyncIterator()
    #expect(await iterator.next() != nil)
    pair.server.shutdown()
    pair.server.release()
    await pair.loop.stop()
  }
}

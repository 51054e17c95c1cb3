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

  @Test func readsEverythingThenWouldBlockThenEndOfFile() async throws {
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
    _ = await readable.next()
    #expect(pair.server.read(into: &buffer) == .endOfFile)
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

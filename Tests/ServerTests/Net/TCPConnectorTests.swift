import Glibc
import Protocol
import Testing

@testable import Server

@Suite struct TCPConnectorTests {
  @Test func connectorReachesAListenerAndBytesFlowBothWays() async throws {
    let loop = try EventLoop()
    loop.start()
    let listener = try Listener(host: "127.0.0.1", port: 0, loop: loop)
    let client = try await TCPConnector.connect(
      host: "127.0.0.1", port: listener.port, loop: loop, outboundLimit: 1 << 20)
    var edges = listener.makeReadableIterator()
    var accepted = try listener.acceptOne().get()
    while accepted == nil {
      _ = await edges.next()
      accepted = try listener.acceptOne().get()
    }
    let (fd, peer) = try #require(accepted)
    let server = try SocketChannel(fd: fd, peer: peer, loop: loop, outboundLimit: 1 << 20)
    #expect(client.write(Array("ping".utf8)) == .queued)
    #expect(await Self.read(4, from: server) == Array("ping".utf8))
    #expect(server.write(Array("pong".utf8)) == .queued)
    #expect(await Self.read(4, from: client) == Array("pong".utf8))
    for channel in [client, server] {
      channel.shutdown()
      channel.release()
    }
    listener.close()
    await loop.stop()
  }

  @Test func connectorReportsARefusedPort() async throws {
    let loop = try EventLoop()
    loop.start()
    try await TestRedisServer.withRefusingPort { port in
      do {
        let channel = try await TCPConnector.connect(
          host: "127.0.0.1", port: port, loop: loop, outboundLimit: 1024)
        Issue.record("connected to a port nobody listens on")
        channel.shutdown()
        channel.release()
      } catch let error as SystemError {
        #expect(error.errno == ECONNREFUSED)
        #expect(error.description.contains("connect(127.0.0.1:\(port))"))
      } catch {
        Issue.record("not a system error: \(error)")
      }
    }
    await loop.stop()
  }

  /// Reads until `count` bytes arrived or the channel ended.
  static func read(_ count: Int, from channel: SocketChannel) async -> [UInt8] {
    var buffer = ByteBuffer()
    while buffer.readableBytes < count {
      switch channel.read(into: &buffer) {
      case .bytes: continue
      case .wouldBlock:
        var edges = channel.readable.makeAsyncIterator()
        if await edges.next() == nil { return Array(buffer.readableBytesView) }
      case .endOfFile, .failed: return Array(buffer.readableBytesView)
      }
    }
    return Array(buffer.readableBytesView)
  }

  @Test func aConnectThatGetsNoAnswerEndsAtTheTimeout() async throws {
    let loop = try EventLoop()
    loop.start()
    // A listener that never accepts, with the smallest queue: once the queue is full the
    // kernel drops further SYNs, so a connect gets no answer at all.
    let listener = try Listener(host: "127.0.0.1", port: 0, backlog: 0, loop: loop)
    var connected: [SocketChannel] = []
    var timedOut: SystemError?
    for _ in 0..<8 where timedOut == nil {
      let start = Clock.monotonicNanoseconds()
      do {
        connected.append(
          try await TCPConnector.connect(
            host: "127.0.0.1", port: listener.port, loop: loop, outboundLimit: 1024,
            timeout: .milliseconds(200)))
      } catch {
        timedOut = error
        #expect(Clock.monotonicNanoseconds() - start < 2_000_000_000)
      }
    }
    let error = try #require(timedOut)
    #expect(error.errno == ETIMEDOUT)
    #expect(error.description.contains("no answer within"))
    for channel in connected {
      channel.shutdown()
      channel.release()
    }
    listener.close()
    await loop.stop()
  }
}

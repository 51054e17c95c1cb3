import Glibc
import Protocol
import Synchronization
import Testing

@testable import Server

/// `RedisConnection`'s read loop against a scripted server on the other end of a
/// `socketpair(2)`: replies in odd pieces, pushes, garbage, unasked replies, hang-ups.
@Suite struct RedisConnectionStreamTests {
  static func connection(over pair: TestChannelPair) -> RedisConnection {
    RedisConnection(
      url: RedisURL(host: "pair", port: 1), protocolVersion: 3, channel: pair.server,
      buffer: ByteBuffer(), decoder: RESPDecoder())
  }

  static func encoded(_ commands: [[String]]) -> [UInt8] {
    var bytes: [UInt8] = []
    for command in commands { RESPEncoder.encodeCommand(command, into: &bytes) }
    return bytes
  }

  @Test func repliesInPiecesReachTheirBatchAndPushesAreSkipped() async throws {
    let pair = try TestChannelPair()
    let connection = Self.connection(over: pair)
    async let running: Void = connection.run()
    let commands = [["GET", "k"], ["PING"]]
    async let replies = connection.send(commands)
    let request = await pair.readFromClient(count: Self.encoded(commands).count)
    #expect(request == Self.encoded(commands))
    pair.writeFromClient(Array(">2\r\n+invalidate\r\n_\r\n$1\r".utf8))
    pair.writeFromClient(Array("\nv\r\n+PO".utf8))
    pair.writeFromClient(Array("NG\r\n".utf8))
    #expect(try await replies == [.bulkString([0x76]), .simpleString("PONG")])
    connection.close()
    await running
    await pair.close()
  }

  @Test func bytesThatAreNotRESPFailTheWaitingAndLaterSends() async throws {
    let pair = try TestChannelPair()
    let connection = Self.connection(over: pair)
    async let running: Void = connection.run()
    async let reply = connection.send([["PING"]])
    _ = await pair.readFromClient(count: Self.encoded([["PING"]]).count)
    pair.writeFromClient(Array("?what\r\n".utf8))
    do {
      let value = try await reply
      Issue.record("expected an error, got \(value)")
    } catch {
      #expect(
        error as? RedisError
          == RedisError.protocolError("Redis at pair:1 sent bad RESP: unknown RESP type byte 0x3F"))
    }
    await running
    await #expect(
      throws: RedisError.protocolError(
        "Redis at pair:1 sent bad RESP: unknown RESP type byte 0x3F")
    ) {
      try await connection.send([["PING"]])
    }
    await pair.close()
  }

  @Test func replyNobodyAskedForIsAProtocolError() async throws {
    let pair = try TestChannelPair()
    let connection = Self.connection(over: pair)
    pair.writeFromClient(Array("+OK\r\n".utf8))
    await connection.run()
    await #expect(
      throws: RedisError.protocolError(
        "Redis at pair:1 sent a reply nobody asked for")
    ) { try await connection.send([["PING"]]) }
    await pair.close()
  }

  @Test func peerHangingUpFailsTheWaitingSendWithConnectionLost() async throws {
    let pair = try TestChannelPair()
    let connection = Self.connection(over: pair)
    async let running: Void = connection.run()
    async let reply = connection.send([["PING"]])
    _ = await pair.readFromClient(count: Self.encoded([["PING"]]).count)
    Glibc.shutdown(pair.clientFD, Int32(SHUT_RDWR))
    do {
      let value = try await reply
      Issue.record("expected an error, got \(value)")
    } catch {
      #expect(
        error as? RedisError == RedisError.connectionLost("Redis at pair:1 closed the connection"))
    }
    await running
    await pair.close()
  }

  @Test func closeFailsTheWaitingSendAndEndsTheReadLoop() async throws {
    let pair = try TestChannelPair()
    let connection = Self.connection(over: pair)
    async let running: Void = connection.run()
    async let reply = connection.send([["BLPOP", "q", "0"]])
    _ = await pair.readFromClient(count: Self.encoded([["BLPOP", "q", "0"]]).count)
    connection.close()
    do {
      let value = try await reply
      Issue.record("expected an error, got \(value)")
    } catch {
      #expect(error as? RedisError == RedisError.connectionLost("Redis connection closed"))
    }
    await running
    await pair.close()
  }

  @Test func emptyBatchAnswersAtOnceWithoutWriting() async throws {
    let pair = try TestChannelPair()
    let connection = Self.connection(over: pair)
    #expect(try await connection.send([[String]]()) == [])
    #expect(pair.server.queuedBytes == 0)
    connection.close()
    await connection.run()
    await pair.close()
  }

  /// A long run of pushes reaches the handler whole and in order. The handler once grew two
  /// thunk layers per push (a bare closure kept in a `Mutex`), so each push walked every
  /// earlier one's layers: quadratic, and deep enough to overflow the reader's stack well
  /// before 60,000 pushes.
  @Test func aLongRunOfPushesReachesTheHandlerInOrder() async throws {
    let pair = try TestChannelPair()
    let connection = Self.connection(over: pair)
    let received = Mutex<(count: Int, inOrder: Bool)>((0, true))
    connection.onPush { frame in
      guard case .push(let parts) = frame, let text = parts.last?.string else { return }
      received.withLock { state in
        if text != String(state.count) { state.inOrder = false }
        state.count += 1
      }
    }
    async let running: Void = connection.run()
    let total = 60_000
    let chunk = 1_000
    for start in stride(from: 0, to: total, by: chunk) {
      var bytes: [UInt8] = []
      for index in start..<(start + chunk) {
        let text = String(index)
        bytes += Array(">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$\(text.utf8.count)\r\n\(text)\r\n".utf8)
      }
      pair.writeFromClient(bytes)  // ~30 KB: within the socket pair's buffer
      let target = start + chunk
      #expect(
        await TestServer.eventually(tries: 1_000) { received.withLock { $0.count } >= target })
    }
    #expect(received.withLock { $0.count } == total)
    #expect(received.withLock { $0.inOrder })
    connection.close()
    await running
    await pair.close()
  }
}

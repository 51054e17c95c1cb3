import Protocol
import Synchronization

/// One pipelined connection to Redis over our own non-blocking socket and event loop.
///
/// `connect` opens the socket, logs in (`HELLO 3` with `AUTH`, falling back to RESP2 and
/// `AUTH` on servers without `HELLO`) and selects the database. Then the owner runs `run()`
/// (the read loop) in its task group, and any task may `send` a batch of commands: the
/// batch is written at once, and its caller is resumed with the replies when the last one
/// has arrived. Replies are matched to batches in the order the batches were written,
/// which is the order Redis answers in. No actor is held across the I/O.
///
/// When the connection ends (Redis goes away, `close()`, bytes that are not RESP) every
/// waiting and later `send` throws a `RedisError`; the owner reconnects with a new
/// connection (`ReconnectBackoff` says when).
final class RedisConnection: Sendable {
  /// Where this connection goes (its description masks the password).
  let url: RedisURL
  /// 3 when the server accepted `HELLO 3`, 2 after the fallback.
  let protocolVersion: Int
  private let channel: SocketChannel
  private let state: Mutex<State>
  /// The bytes and decoder state the handshake left, taken by `run()`.
  private let reader: Mutex<(ByteBuffer, RESPDecoder)?>
  /// Where RESP3 push frames go (pub/sub messages and subscribe confirmations).
  /// Where push frames go. Boxed in a struct: a bare closure as a `Mutex`'s value is
  /// re-wrapped in reabstraction thunks every time `withLock` hands it out and writes it
  /// back, so it grew by two layers per push and each push walked all of them.
  private let pushHandler = Mutex<PushHandler?>(nil)

  /// One `send` waiting for its replies.
  private struct Batch {
    var expected: Int
    var replies: [RESPValue]
    let continuation: CheckedContinuation<[RESPValue], any Error>
  }

  private struct State {
    /// Batches written and not yet fully answered, oldest first.
    var pending: [Batch] = []
    /// Set once the connection is over; every later `send` throws it.
    var failure: RedisError?
  }

  /// Outbound bytes queued at most: 64 MiB, far above any batch the gateway writes; past it
  /// Redis is not reading and `send` fails rather than buffer without bound.
  static let outboundLimit = 64 << 20

  /// A logged-in connection over `channel`; `buffer` and `decoder` are what the handshake
  /// left for `run()`. Use `connect(to:loop:limits:)` rather than this.
  init(
    url: RedisURL, protocolVersion: Int, channel: SocketChannel, buffer: ByteBuffer,
    decoder: RESPDecoder
  ) {
    self.url = url
    self.protocolVersion = protocolVersion
    self.channel = channel
    state = Mutex(State())
    reader = Mutex((buffer, decoder))
  }

  /// Sends `commands` (each one name and arguments) as one pipelined write and returns
  /// their replies in order; a command's error reply is a `.error` value in its place.
  /// Cancelling the calling task does not end the wait: the commands are on the wire and
  /// their replies must be read off it; bound the wait by closing the connection.
  func send(_ commands: [[String]]) async throws(RedisError) -> [RESPValue] {
    var bytes: [UInt8] = []
    for command in commands { RESPEncoder.encodeCommand(command, into: &bytes) }
    return try await send(encoded: bytes, count: commands.count)
  }

  /// Sends binary-safe `commands`; see `send(_:)`.
  func send(_ commands: [[[UInt8]]]) async throws(RedisError) -> [RESPValue] {
    var bytes: [UInt8] = []
    for command in commands { RESPEncoder.encodeCommand(command, into: &bytes) }
    return try await send(encoded: bytes, count: commands.count)
  }

  private func send(encoded bytes: [UInt8], count: Int) async throws(RedisError) -> [RESPValue] {
    guard count > 0 else { return [] }
    do {
      return try await withCheckedThrowingContinuation { continuation in
        // Written and queued under one lock, so the queue's order is the order on the wire.
        let refusal = state.withLock { state -> RedisError? in
          if let failure = state.failure { return failure }
          switch channel.write(bytes) {
          case .queued:
            state.pending.append(Batch(expected: count, replies: [], continuation: continuation))
            return nil
          case .overLimit:
            return .outboundFull("Redis at \(url.host):\(url.port) is not reading (queue full)")
          case .closed:
            return lostError()
          }
        }
        if let refusal { continuation.resume(throwing: refusal) }
      }
    } catch let error as RedisError {
      throw error
    } catch {
      throw lostError()
    }
  }

  /// Sets where RESP3 push frames go (called on the read loop, in arrival order); set it
  /// before `run()` and before subscribing.
  func onPush(_ handler: @escaping @Sendable (RESPValue) -> Void) {
    pushHandler.withLock { $0 = PushHandler(handle: handler) }
  }

  /// Writes commands whose answers arrive as push frames (`SUBSCRIBE`, `SSUBSCRIBE` and
  /// their `UN` forms under RESP3), so no reply is awaited.
  func sendExpectingPushes(_ commands: [[String]]) throws(RedisError) {
    var bytes: [UInt8] = []
    for command in commands { RESPEncoder.encodeCommand(command, into: &bytes) }
    let refusal = state.withLock { state -> RedisError? in
      if let failure = state.failure { return failure }
      switch channel.write(bytes) {
      case .queued: return nil
      case .overLimit:
        return .outboundFull("Redis at \(url.host):\(url.port) is not reading (queue full)")
      case .closed: return lostError()
      }
    }
    if let refusal { throw refusal }
  }

  /// Ends the connection: waiting and later `send`s throw, and `run()` returns.
  func close() {
    let (error, waiters) = fail(with: .connectionLost("Redis connection closed"))
    for waiter in waiters { waiter.resume(throwing: error) }
    channel.shutdown()
  }

  /// Reads replies and hands them to the waiting batches until the connection ends; then
  /// fails what is still waiting and closes the socket. Run it once, in the owner's group.
  func run() async {
    let taken = reader.withLock { reader in
      defer { reader = nil }
      return reader
    }
    guard var (buffer, decoder) = taken else { return }
    let (error, waiters) = fail(with: await readLoop(&buffer, &decoder))
    for waiter in waiters { waiter.resume(throwing: error) }
    // The handler may hold its owner (the subscriber's dispatcher holds the gateway's
    // context): drop it with the connection so nothing keeps the owner alive.
    pushHandler.withLock { $0 = nil }
    channel.shutdown()
    channel.release()
  }

  private func readLoop(_ buffer: inout ByteBuffer, _ decoder: inout RESPDecoder) async
    -> RedisError
  {
    while true {
      switch channel.read(into: &buffer) {
      case .bytes:
        do {
          while let value = try decoder.decode(&buffer) {
            if let error = deliver(value) { return error }
          }
        } catch {
          return .protocolError("Redis at \(url.host):\(url.port) sent bad RESP: \(error)")
        }
        buffer.discardReadBytes()
      case .wouldBlock:
        var edges = channel.readable.makeAsyncIterator()
        if await edges.next() == nil { return lostError() }
      case .endOfFile:
        return lostError()
      case .failed(let code):
        return .connectionLost(
          "Redis at \(url.host):\(url.port) failed: \(SystemError("recv", errno: code))")
      }
    }
  }

  /// Adds a reply to the oldest batch and resumes it when complete; a reply nobody is
  /// waiting for is a protocol error (the stream is out of step).
  private func deliver(_ value: RESPValue) -> RedisError? {
    // Pushes (RESP3 out-of-band data) are not replies to commands.
    if case .push = value {
      pushHandler.withLock { $0 }?.handle(value)
      return nil
    }
    let outcome = state.withLock { state -> (Batch?, Bool) in
      guard !state.pending.isEmpty else { return (nil, false) }
      state.pending[0].replies.append(value)
      guard state.pending[0].replies.count == state.pending[0].expected else { return (nil, true) }
      return (state.pending.removeFirst(), true)
    }
    guard outcome.1 else {
      return .protocolError("Redis at \(url.host):\(url.port) sent a reply nobody asked for")
    }
    if let batch = outcome.0 { batch.continuation.resume(returning: batch.replies) }
    return nil
  }

  /// Marks the connection failed (keeping an earlier failure); returns the failure and the
  /// waiters to resume with it.
  private func fail(with error: RedisError) -> (
    RedisError, [CheckedContinuation<[RESPValue], any Error>]
  ) {
    state.withLock { state in
      let failure = state.failure ?? error
      state.failure = failure
      defer { state.pending.removeAll() }
      return (failure, state.pending.map(\.continuation))
    }
  }

  private func lostError() -> RedisError {
    .connectionLost("Redis at \(url.host):\(url.port) closed the connection")
  }
}

/// A push frame handler, as `RedisConnection` keeps it.
private struct PushHandler: Sendable {
  let handle: @Sendable (RESPValue) -> Void
}

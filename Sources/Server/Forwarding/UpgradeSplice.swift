import Protocol

/// A client's WebSocket relayed to the node that owns its session, after the owner's `101`:
/// bytes are copied both ways, undecoded, until either side closes, and then both are closed.
///
/// Backpressure: a copy stops reading its source while its destination holds more than
/// `highWater` unsent bytes, so TCP flow control slows the sender down; a destination whose
/// queue would pass its outbound limit is a slow consumer and ends the splice, as a local
/// session's outbox does. If the source hangs up while a copy waits for its destination to
/// drain, the destination is cut: nothing more would ever be relayed.
struct UpgradeSplice: WebSocketHandler {
  /// The connection to the owner.
  let upstream: SocketChannel
  /// What the owner sent right after its `101`.
  let upstreamBytes: ByteBuffer

  /// Unsent bytes above which a copy waits for its destination to drain.
  static let highWater = 256 * 1024

  func run(on connection: inout WebSocketConnection) async -> (any WebSocketContinuation)? {
    let client = connection.channel
    let clientBytes = connection.takeBuffered()
    await withDiscardingTaskGroup { group in
      group.addTask { [upstream, upstreamBytes] in
        await Self.copy(from: upstream, buffered: upstreamBytes, to: client)
      }
      await Self.copy(from: client, buffered: clientBytes, to: upstream)
    }
    upstream.release()
    return nil
  }

  /// Copies `source` to `destination` until `source` ends or `destination` cannot take more;
  /// then closes `destination` once what it holds is sent, and stops `source`.
  static func copy(from source: SocketChannel, buffered: ByteBuffer, to destination: SocketChannel)
    async
  {
    var buffer = buffered
    var edges = source.readable.makeAsyncIterator()
    relay: while true {
      if buffer.readableBytes > 0 {
        let bytes = Array(buffer.readableBytesView)
        buffer.clear()
        guard await send(bytes, from: source, to: destination) else { break relay }
      }
      switch source.read(into: &buffer) {
      case .bytes:
        continue
      case .wouldBlock:
        buffer.releaseIfDrained()
        guard await edges.next() != nil else { break relay }
      case .endOfFile, .failed:
        break relay
      }
    }
    destination.shutdownAfterFlush()
    source.shutdown()
  }

  /// Queues `bytes` on `destination`, waiting for it to drain below `highWater` first when it
  /// is behind; false when the splice must end (closed, or over the outbound limit).
  private static func send(
    _ bytes: [UInt8], from source: SocketChannel, to destination: SocketChannel
  ) async -> Bool {
    if destination.queuedBytes > highWater {
      if source.observeHangup({ destination.shutdown() }) {
        await destination.flush()
        source.clearHangupObserver()
      }
    }
    switch destination.write(bytes) {
    case .queued:
      return true
    case .overLimit:
      destination.shutdown()
      return false
    case .closed:
      return false
    }
  }
}

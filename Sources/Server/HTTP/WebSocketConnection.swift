import Protocol

/// A connection after the 101: decodes client frames into messages, answers pings, runs
/// the close handshake, and closes with the right code on a protocol error.
///
/// It is `Sendable` so that a handler can carry it into a fresh task (see
/// `WebSocketHandler`): it holds the readable stream, not an iterator of it.
struct WebSocketConnection: Sendable {
  /// The socket; session writes go through the session's outbox onto it.
  let channel: SocketChannel
  private var buffer: ByteBuffer
  private let readable: AsyncStream<Void>
  private var decoder: WebSocketMessageDecoder
  private let logger: Logger

  /// A data message from the client.
  enum Incoming: Sendable, Equatable {
    case text(String)
    case binary([UInt8])
  }

  init(
    channel: SocketChannel, buffer: ByteBuffer, maxMessageBytes: Int, logger: Logger
  ) {
    self.channel = channel
    self.buffer = buffer
    readable = channel.readable
    self.logger = logger
    decoder = WebSocketMessageDecoder(maxMessageBytes: maxMessageBytes, requireMasking: true)
  }

  /// The next data message, or nil once the connection is over (close handshake, protocol
  /// error, hang-up, or shutdown from elsewhere).
  mutating func next() async -> Incoming? {
    while true {
      do {
        while let message = try decoder.next(from: &buffer) {
          switch message {
          case .text(let text): return .text(text)
          case .binary(let bytes): return .binary(bytes)
          case .ping(let payload):
            var frame: [UInt8] = []
            WebSocketFrameEncoder.encode(opcode: .pong, payload: payload, into: &frame)
            channel.write(frame)
          case .pong:
            continue
          case .close(let code, _):
            // RFC 6455 §5.5.1: answer a close with a close, echoing the code.
            close(code: code ?? 1000, reason: "")
            return nil
          }
        }
      } catch {
        logger.debug(
          "websocket protocol error",
          ["peer": channel.peer, "code": "\(error.closeCode)", "reason": error.message])
        close(code: error.closeCode, reason: error.message)
        return nil
      }
      buffer.discardReadBytes()
      switch channel.read(into: &buffer) {
      case .bytes:
        continue
      case .wouldBlock:
        buffer.releaseIfDrained()
        // One consumer at a time; a fresh iterator per wait keeps this struct Sendable.
        var edges = readable.makeAsyncIterator()
        guard await edges.next() != nil else { return nil }
      case .endOfFile, .failed:
        return nil
      }
    }
  }

  /// Sends a text message directly (used for `3probe` before the session owns the socket).
  func sendText(_ text: String) {
    var frame: [UInt8] = []
    WebSocketFrameEncoder.encode(opcode: .text, payload: Array(text.utf8), into: &frame)
    channel.write(frame)
  }

  /// Sends a close frame, then shuts the socket down once it is flushed.
  func close(code: UInt16, reason: String) {
    var frame: [UInt8] = []
    WebSocketFrameEncoder.encodeClose(code: code, reason: reason, into: &frame)
    channel.write(frame)
    channel.shutdownAfterFlush()
  }
}

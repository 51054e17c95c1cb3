import Protocol

/// A connection after the 101: decodes client frames into messages, answers pings, runs
/// the close handshake, and closes with the right code on a protocol error.
///
/// It is `Sendable` so that it can move into a fresh task (see `HandOff`): it holds no
/// iterator of the readable stream; `next()` makes one per wait, and `poll()` never waits.
struct WebSocketConnection: Sendable {
  /// The socket; session writes go through the session's outbox onto it.
  let channel: SocketChannel
  private var buffer: ByteBuffer
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
    self.logger = logger
    decoder = WebSocketMessageDecoder(maxMessageBytes: maxMessageBytes, requireMasking: true)
  }

  /// What `poll()` found.
  enum Polled: Sendable, Equatable {
    /// A data message.
    case message(Incoming)
    /// Nothing more has arrived; wait for `readable` and poll again.
    case needsInput
    /// The connection is over (close handshake, protocol error, hang-up, shutdown).
    case closed
  }

  /// The readiness stream to wait on after `.needsInput`.
  var readable: AsyncStream<Void> { channel.readable }

  /// The next data message from what has arrived, reading the socket when the buffer runs
  /// dry; never waits. Pings are answered and pongs dropped on the way.
  mutating func poll() -> Polled {
    while true {
      do {
        while let message = try decoder.next(from: &buffer) {
          switch message {
          case .text(let text): return .message(.text(text))
          case .binary(let bytes): return .message(.binary(bytes))
          case .ping(let payload):
            var frame: [UInt8] = []
            WebSocketFrameEncoder.encode(opcode: .pong, payload: payload, into: &frame)
            channel.write(frame)
          case .pong:
            continue
          case .close(let code, _):
            // RFC 6455 §5.5.1: answer a close with a close, echoing the code.
            close(code: code ?? 1000, reason: "")
            return .closed
          }
        }
      } catch {
        logger.debug(
          "websocket protocol error",
          ["peer": channel.peer, "code": "\(error.closeCode)", "reason": error.message])
        close(code: error.closeCode, reason: error.message)
        return .closed
      }
      buffer.discardReadBytes()
      switch channel.read(into: &buffer) {
      case .bytes:
        continue
      case .wouldBlock:
        buffer.releaseIfDrained()
        return .needsInput
      case .endOfFile, .failed:
        return .closed
      }
    }
  }

  /// The next data message, waiting for it; nil once the connection is over.
  mutating func next() async -> Incoming? {
    while true {
      switch poll() {
      case .message(let message):
        return message
      case .closed:
        return nil
      case .needsInput:
        // One consumer at a time; a fresh iterator per wait keeps this struct Sendable.
        var edges = readable.makeAsyncIterator()
        guard await edges.next() != nil else { return nil }
      }
    }
  }

  /// Takes the bytes received but not decoded yet: a forwarded upgrade relays the client's
  /// stream raw (`UpgradeSplice`) instead of decoding it here.
  mutating func takeBuffered() -> ByteBuffer {
    defer { buffer = ByteBuffer() }
    return buffer
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

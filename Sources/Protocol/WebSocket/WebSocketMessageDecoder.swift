/// Incremental decoder of client-to-server frames that assembles them into messages.
///
/// Feed it the connection's `ByteBuffer` after every read and call `next(from:)` until it
/// returns nil ("need more bytes"). Payload bytes are unmasked and moved out of the buffer
/// as soon as they arrive, so a large frame never sits in the buffer twice, and text is
/// UTF-8-checked piece by piece so an invalid byte fails the message at once.
///
/// Rules enforced (RFC 6455 §5): masking (when `requireMasking`), RSV bits 0, known opcodes,
/// 64-bit length high bit 0, control frames unfragmented and at most 125 bytes (they may
/// arrive between the fragments of a data message), continuation only inside a message, no
/// new data frame inside one, `maxMessageBytes` checked on each header against the running
/// total before any payload is kept, and close payload shape (§5.5.1, §7.4). Non-minimal
/// length encodings are accepted. After a thrown error the decoder keeps throwing it: the
/// connection must be closed with `closeCode`.
public struct WebSocketMessageDecoder: Sendable {
  /// One complete message or control frame.
  public enum Message: Sendable, Equatable {
    /// A complete text message, fragments joined, UTF-8 validated.
    case text(String)
    /// A complete binary message, fragments joined.
    case binary([UInt8])
    /// A ping; answer with a pong carrying the same payload.
    case ping([UInt8])
    /// A pong.
    case pong([UInt8])
    /// A close frame; `code` nil means the payload was empty (reported as 1005 locally).
    case close(code: UInt16?, reason: String)
  }

  /// The largest data message accepted, in payload bytes summed over its fragments.
  public let maxMessageBytes: Int
  /// Whether unmasked frames are refused (true for a server; false to read server frames).
  public let requireMasking: Bool

  /// The frame whose payload is being read; nil between frames.
  private var frame: WebSocketFrameHeader?
  /// Payload bytes of `frame` still to read.
  private var frameRemaining = 0
  /// Payload bytes of `frame` already read, which is also the masking key's phase.
  private var frameConsumed = 0
  /// `.text` or `.binary` while a data message is open, nil otherwise.
  private var messageOpcode: WebSocketOpcode?
  /// Unmasked payload of the open data message so far.
  private var messageBytes: [UInt8] = []
  /// Unmasked payload of the control frame being read.
  private var controlBytes: [UInt8] = []
  /// UTF-8 state across the fragments of the open text message.
  private var utf8 = UTF8Validator()
  /// The first error, thrown again by every later call.
  private var failure: WebSocketProtocolError?

  /// A decoder.
  /// - Parameters:
  ///   - maxMessageBytes: data message limit; the default matches Engine.IO's
  ///     `maxHttpBufferSize` (1e6), which JS servers also apply to WebSocket messages.
  ///   - requireMasking: refuse unmasked frames, as a server must (RFC 6455 §5.1).
  public init(maxMessageBytes: Int = 1_000_000, requireMasking: Bool = true) {
    precondition(maxMessageBytes >= 0, "negative WebSocket message limit")
    self.maxMessageBytes = maxMessageBytes
    self.requireMasking = requireMasking
  }

  /// Consumes bytes from `buffer`; returns the next message, or nil when more bytes are
  /// needed (everything readable has then been consumed or is an incomplete header).
  public mutating func next(from buffer: inout ByteBuffer) throws(WebSocketProtocolError)
    -> Message?
  {
    if let failure { throw failure }
    do throws(WebSocketProtocolError) {
      return try decodeNext(from: &buffer)
    } catch {
      failure = error
      throw error
    }
  }

  private mutating func decodeNext(from buffer: inout ByteBuffer) throws(WebSocketProtocolError)
    -> Message?
  {
    while true {
      let header: WebSocketFrameHeader
      if let frame {
        header = frame
      } else {
        guard
          let parsed = try WebSocketFrameHeader.peek(in: buffer, requireMasking: requireMasking)
        else { return nil }
        try begin(parsed)
        buffer.moveReaderIndex(forwardBy: parsed.headerLength)
        header = parsed
      }
      guard try readPayload(of: header, from: &buffer) else { return nil }
      frame = nil
      if let message = try finish(header) { return message }
    }
  }

  /// Checks a new frame against the open message and the size limit, then starts it.
  private mutating func begin(_ header: WebSocketFrameHeader) throws(WebSocketProtocolError) {
    switch header.opcode {
    case .continuation:
      guard messageOpcode != nil else {
        throw .protocolError("continuation frame without a message to continue")
      }
    case .text, .binary:
      guard messageOpcode == nil else {
        throw .protocolError("new data frame while a fragmented message is open")
      }
      messageOpcode = header.opcode
    case .close, .ping, .pong:
      break
    }
    // Checked before any payload is kept; subtraction cannot overflow (both non-negative).
    if !header.opcode.isControl, header.payloadLength > maxMessageBytes - messageBytes.count {
      throw .messageTooBig("message exceeds \(maxMessageBytes) bytes")
    }
    frame = header
    frameRemaining = header.payloadLength
    frameConsumed = 0
  }

  /// Moves as much of the frame's payload as is readable into the message (or control)
  /// bytes, unmasked; returns whether the frame's payload is complete.
  private mutating func readPayload(of header: WebSocketFrameHeader, from buffer: inout ByteBuffer)
    throws(WebSocketProtocolError) -> Bool
  {
    let count = min(frameRemaining, buffer.readableBytes)
    if count > 0 {
      let piece = buffer.readableBytesView.prefix(count)
      if header.opcode.isControl {
        let start = controlBytes.count
        controlBytes.append(contentsOf: piece)
        header.maskingKey?.apply(
          to: &controlBytes, range: start..<(start + count), phase: frameConsumed)
      } else {
        let start = messageBytes.count
        messageBytes.append(contentsOf: piece)
        header.maskingKey?.apply(
          to: &messageBytes, range: start..<(start + count), phase: frameConsumed)
        if messageOpcode == .text {
          let valid = messageBytes.withUnsafeBytes { raw in
            utf8.consume(UnsafeRawBufferPointer(rebasing: raw[start...]))
          }
          guard valid else { throw .invalidUTF8("text message is not valid UTF-8") }
        }
      }
      buffer.moveReaderIndex(forwardBy: count)
      frameRemaining -= count
      frameConsumed += count
    }
    return frameRemaining == 0
  }

  /// Turns a completely read frame into a message, or nil for a non-final data fragment.
  private mutating func finish(_ header: WebSocketFrameHeader) throws(WebSocketProtocolError)
    -> Message?
  {
    if header.opcode.isControl {
      let payload = controlBytes
      controlBytes = []
      switch header.opcode {
      case .ping: return .ping(payload)
      case .pong: return .pong(payload)
      default: return try Self.closeMessage(payload)
      }
    }
    guard header.fin else { return nil }
    defer {
      messageOpcode = nil
      utf8.reset()
    }
    if messageOpcode == .text {
      guard utf8.isComplete else {
        throw .invalidUTF8("text message ends inside a UTF-8 sequence")
      }
      let text = String(decoding: messageBytes, as: UTF8.self)
      // Give the buffer back: a connection idle between messages should hold none.
      messageBytes = []
      return .text(text)
    }
    let bytes = messageBytes
    messageBytes = []
    return .binary(bytes)
  }

  /// Validates a close payload (RFC 6455 §5.5.1, §7.4): empty, or a wire-valid code and a
  /// UTF-8 reason.
  private static func closeMessage(_ payload: [UInt8]) throws(WebSocketProtocolError) -> Message {
    guard !payload.isEmpty else { return .close(code: nil, reason: "") }
    guard payload.count >= 2 else { throw .protocolError("close payload of 1 byte") }
    let code = UInt16(payload[0]) << 8 | UInt16(payload[1])
    guard WebSocketCloseCode.isValidOnWire(code) else {
      throw .protocolError("close code \(code) is not allowed on the wire")
    }
    let reason = payload[2...]
    guard UTF8Validator.isValid(reason) else {
      throw .invalidUTF8("close reason is not valid UTF-8")
    }
    return .close(code: code, reason: String(decoding: reason, as: UTF8.self))
  }
}

import Protocol

/// libFuzzer entry point of the `websocket` target.
@_cdecl("LLVMFuzzerTestOneInput")
public func webSocketMessageDecoderFuzzEntry(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  WebSocketMessageDecoderFuzz.run(FuzzInput(start, count))
  return 0
}

/// Fuzzes `WebSocketMessageDecoder` on a client's frame stream, fed in the fuzzer's pieces.
///
/// Options: bit 0 reads unmasked frames (`requireMasking: false`, so the fuzzer reaches
/// payload handling without learning masks first); bits 1-2 pick the message limit
/// (1 000 000, 125, 0 or 4096 bytes).
///
/// Invariants: the split changes nothing; no data message exceeds the limit and no control
/// payload 125 bytes; close frames carry a code valid on the wire and a reason of at most
/// 123 bytes; errors close with 1002, 1007 or 1009 and an ASCII reason that fits a close
/// frame; every message, encoded again as a masked client frame, decodes to itself.
enum WebSocketMessageDecoderFuzz {
  static let limits = [1_000_000, 125, 0, 4096]
  static let closeCodes: Set<UInt16> = [1002, 1007, 1009]
  static let maskingKey: (UInt8, UInt8, UInt8, UInt8) = (0x12, 0x34, 0x56, 0x78)

  /// What a decoder made of the whole stream.
  struct Outcome: Equatable {
    var messages: [WebSocketMessageDecoder.Message] = []
    var error: WebSocketProtocolError?
    /// Unconsumed bytes at the end, when no error was thrown.
    var unconsumed = 0
  }

  static func run(_ input: FuzzInput) {
    let decoder = WebSocketMessageDecoder(
      maxMessageBytes: limits[input.choice(at: 1)], requireMasking: !input.option(0))
    let whole = decode(input.data, pieces: [input.data.count], decoder)
    let split = decode(input.data, pieces: input.pieces(), decoder)
    FuzzCheck.require(whole == split, "split \(input.split) changed the messages")
    for message in whole.messages {
      check(message, limit: decoder.maxMessageBytes)
    }
    if let error = whole.error {
      FuzzCheck.require(closeCodes.contains(error.closeCode), "close code \(error.closeCode)")
      FuzzCheck.require(
        error.message.utf8.count <= WebSocketFrameEncoder.maxCloseReasonBytes
          && error.message.utf8.allSatisfy { $0 < 0x80 },
        "close reason does not fit a close frame: \(error.message)")
    }
  }

  static func decode(_ bytes: [UInt8], pieces: [Int], _ decoder: WebSocketMessageDecoder)
    -> Outcome
  {
    var decoder = decoder
    var buffer = ByteBuffer()
    var outcome = Outcome()
    var offset = 0
    for size in pieces where size > 0 {
      buffer.writeBytes(bytes[offset..<(offset + size)])
      offset += size
      do {
        while let message = try decoder.next(from: &buffer) { outcome.messages.append(message) }
      } catch {
        outcome.error = error
        return outcome
      }
      // A frame header is at most 14 bytes; payload bytes leave the buffer as they arrive.
      FuzzCheck.require(buffer.readableBytes < 14, "\(buffer.readableBytes) bytes kept")
      buffer.discardReadBytes()
    }
    outcome.unconsumed = buffer.readableBytes
    return outcome
  }

  /// Bounds of one message, and its round trip through the client frame encoder.
  static func check(_ message: WebSocketMessageDecoder.Message, limit: Int) {
    var frame: [UInt8] = []
    switch message {
    case .text(let text):
      FuzzCheck.require(text.utf8.count <= limit, "text message over the limit")
      encode(.text, Array(text.utf8), into: &frame)
    case .binary(let bytes):
      FuzzCheck.require(bytes.count <= limit, "binary message over the limit")
      encode(.binary, bytes, into: &frame)
    case .ping(let payload):
      FuzzCheck.require(payload.count <= 125, "ping payload over 125 bytes")
      encode(.ping, payload, into: &frame)
    case .pong(let payload):
      FuzzCheck.require(payload.count <= 125, "pong payload over 125 bytes")
      encode(.pong, payload, into: &frame)
    case .close(let code, let reason):
      var payload: [UInt8] = []
      if let code {
        FuzzCheck.require(WebSocketCloseCode.isValidOnWire(code), "close code \(code)")
        FuzzCheck.require(reason.utf8.count <= 123, "close reason over 123 bytes")
        payload = [UInt8(code >> 8), UInt8(code & 0xFF)] + Array(reason.utf8)
      } else {
        FuzzCheck.require(reason.isEmpty, "reason without a code")
      }
      encode(.close, payload, into: &frame)
    }
    var decoder = WebSocketMessageDecoder(maxMessageBytes: limit, requireMasking: true)
    var buffer = ByteBuffer(bytes: frame)
    let again: WebSocketMessageDecoder.Message?
    do {
      again = try decoder.next(from: &buffer)
    } catch {
      FuzzCheck.require(false, "re-encoded message fails: \(error)")
      return
    }
    FuzzCheck.require(again == message, "re-encoded message decodes differently")
  }

  static func encode(_ opcode: WebSocketOpcode, _ payload: [UInt8], into frame: inout [UInt8]) {
    WebSocketFrameEncoder.encodeMasked(
      opcode: opcode, payload: payload, maskingKey: maskingKey, into: &frame)
  }
}

/// A frame header read from the wire (RFC 6455 §5.2), checked against every rule that
/// needs no knowledge of earlier frames.
struct WebSocketFrameHeader: Sendable, Equatable {
  /// Whether the frame ends its message.
  var fin: Bool
  /// The frame's opcode (reserved opcodes are rejected while parsing).
  var opcode: WebSocketOpcode
  /// The masking key, nil for an unmasked frame.
  var maskingKey: WebSocketMaskingKey?
  /// Payload length in bytes as declared.
  var payloadLength: Int
  /// Bytes taken by the header itself: 2, plus 2 or 8 of extended length, plus 4 of key.
  var headerLength: Int

  /// Parses the header at the front of `buffer` without consuming anything; nil until the
  /// whole header is there. The first two bytes are checked as soon as they arrive.
  static func peek(in buffer: ByteBuffer, requireMasking: Bool) throws(WebSocketProtocolError)
    -> WebSocketFrameHeader?
  {
    guard let first = buffer.peekByte(at: 0), let second = buffer.peekByte(at: 1) else {
      return nil
    }
    let fin = first & 0x80 != 0
    // RFC 6455 §5.2: RSV1-3 must be 0 unless an extension was negotiated; we accept none.
    guard first & 0x70 == 0 else {
      throw .protocolError("reserved bits set without a negotiated extension")
    }
    guard let opcode = WebSocketOpcode(rawValue: first & 0x0F) else {
      throw .protocolError("reserved opcode \(first & 0x0F)")
    }
    let masked = second & 0x80 != 0
    let shortLength = Int(second & 0x7F)
    if opcode.isControl {
      // RFC 6455 §5.5: control frames are never fragmented and carry at most 125 bytes.
      guard fin else { throw .protocolError("fragmented control frame") }
      guard shortLength <= 125 else { throw .protocolError("control frame longer than 125 bytes") }
    }
    // RFC 6455 §5.1: a server must close the connection on an unmasked client frame.
    if requireMasking, !masked { throw .protocolError("client frame is not masked") }

    let lengthBytes = shortLength == 127 ? 8 : shortLength == 126 ? 2 : 0
    let headerLength = 2 + lengthBytes + (masked ? 4 : 0)
    guard buffer.readableBytes >= headerLength else { return nil }

    var length = UInt64(shortLength)
    if lengthBytes > 0 {
      length = 0
      for offset in 2..<(2 + lengthBytes) {
        length = length << 8 | UInt64(buffer.peekByte(at: offset) ?? 0)
      }
    }
    // RFC 6455 §5.2: the most significant bit of a 64-bit length must be 0.
    guard length & (1 << 63) == 0 else {
      throw .protocolError("64-bit payload length has its high bit set")
    }
    // Only reachable where Int is 32 bits; far beyond any limit either way.
    guard let payloadLength = Int(exactly: length) else {
      throw .messageTooBig("frame length exceeds this platform's address space")
    }
    var maskingKey: WebSocketMaskingKey?
    if masked {
      let keyOffset = 2 + lengthBytes
      maskingKey = WebSocketMaskingKey(
        buffer.peekByte(at: keyOffset) ?? 0, buffer.peekByte(at: keyOffset + 1) ?? 0,
        buffer.peekByte(at: keyOffset + 2) ?? 0, buffer.peekByte(at: keyOffset + 3) ?? 0)
    }
    return WebSocketFrameHeader(
      fin: fin, opcode: opcode, maskingKey: maskingKey, payloadLength: payloadLength,
      headerLength: headerLength)
  }
}

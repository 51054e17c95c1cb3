/// Writes WebSocket frames into a caller-owned byte array.
///
/// Header layout (RFC 6455 §5.2), network byte order:
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-------+-+-------------+-------------------------------+
/// |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
/// |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
/// |N|V|V|V|       |S|             |   (if payload len==126/127)   |
/// | |1|2|3|       |K|             |                               |
/// +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
/// |     Extended payload length continued, if payload len == 127  |
/// + - - - - - - - - - - - - - - - +-------------------------------+
/// |                               |Masking-key, if MASK set to 1  |
/// +-------------------------------+-------------------------------+
/// | Masking-key (continued)       |          Payload Data         |
/// +-------------------------------- - - - - - - - - - - - - - - - +
/// ```
///
/// Lengths always use the shortest form (§5.2 requires the minimal number of bytes).
/// Control frames must carry at most 125 payload bytes; callers guarantee that.
public enum WebSocketFrameEncoder {
  /// The largest close reason in bytes: 125 payload bytes minus the 2-byte code.
  public static let maxCloseReasonBytes = 123

  /// Appends one unmasked server frame with FIN set.
  public static func encode(
    opcode: WebSocketOpcode, payload: some Collection<UInt8>, into output: inout [UInt8]
  ) {
    output.reserveCapacity(output.count + 10 + payload.count)
    encodeHeader(opcode: opcode, length: payload.count, into: &output)
    output.append(contentsOf: payload)
  }

  /// Appends just the header of a FIN, unmasked frame of `length` payload bytes, so a
  /// server can write the header and a shared payload buffer with `writev` without copying.
  public static func encodeHeader(opcode: WebSocketOpcode, length: Int, into output: inout [UInt8])
  {
    appendHeader(fin: true, opcode: opcode, mask: false, length: length, into: &output)
  }

  /// Appends a close frame with `code` and `reason`; the reason is cut to
  /// `maxCloseReasonBytes` on a character boundary so the payload stays within 125 bytes.
  public static func encodeClose(code: UInt16, reason: String, into output: inout [UInt8]) {
    var payload: [UInt8] = [UInt8(truncatingIfNeeded: code >> 8), UInt8(truncatingIfNeeded: code)]
    payload.append(contentsOf: truncatedUTF8(reason, maxBytes: maxCloseReasonBytes))
    encode(opcode: .close, payload: payload, into: &output)
  }

  /// Appends one masked client frame (for tests and load generators); `fin` false makes a
  /// non-final fragment.
  public static func encodeMasked(
    opcode: WebSocketOpcode, payload: some Collection<UInt8>,
    maskingKey: (UInt8, UInt8, UInt8, UInt8), fin: Bool = true, into output: inout [UInt8]
  ) {
    let key = WebSocketMaskingKey(maskingKey.0, maskingKey.1, maskingKey.2, maskingKey.3)
    output.reserveCapacity(output.count + 14 + payload.count)
    appendHeader(fin: fin, opcode: opcode, mask: true, length: payload.count, into: &output)
    output.append(maskingKey.0)
    output.append(maskingKey.1)
    output.append(maskingKey.2)
    output.append(maskingKey.3)
    let start = output.count
    output.append(contentsOf: payload)
    key.apply(to: &output, range: start..<output.count, phase: 0)
  }

  private static func appendHeader(
    fin: Bool, opcode: WebSocketOpcode, mask: Bool, length: Int, into output: inout [UInt8]
  ) {
    precondition(length >= 0, "negative WebSocket payload length")
    output.append((fin ? 0x80 : 0) | opcode.rawValue)
    let maskBit: UInt8 = mask ? 0x80 : 0
    if length <= 125 {
      output.append(maskBit | UInt8(length))
    } else if length <= Int(UInt16.max) {
      output.append(maskBit | 126)
      output.append(UInt8(truncatingIfNeeded: length >> 8))
      output.append(UInt8(truncatingIfNeeded: length))
    } else {
      output.append(maskBit | 127)
      let wide = UInt64(length)
      for shift in stride(from: 56, through: 0, by: -8) {
        output.append(UInt8(truncatingIfNeeded: wide >> UInt64(shift)))
      }
    }
  }

  /// The UTF-8 bytes of `text`, cut to at most `maxBytes` without splitting a character's
  /// encoding (a cut never lands before a continuation byte `10xxxxxx`).
  static func truncatedUTF8(_ text: String, maxBytes: Int) -> ArraySlice<UInt8> {
    let bytes = Array(text.utf8)
    guard bytes.count > maxBytes else { return bytes[...] }
    var end = maxBytes
    while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
    return bytes[..<end]
  }
}

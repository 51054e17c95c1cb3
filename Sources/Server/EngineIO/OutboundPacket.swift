import Protocol

/// One Engine.IO packet on its way out, already encoded.
///
/// Text packets hold the bytes `<type digit><data>` (e.g. `42["notification",{...}]`): the
/// same array is a WebSocket text frame's payload and a polling record, so a push encoded
/// once is shared, not copied, by every recipient's queue.
enum OutboundPacket: Sendable, Equatable {
  /// `<digit><data>` as UTF-8.
  case text([UInt8])
  /// A binary message (raw bytes; `b<base64>` on polling).
  case binary([UInt8])

  /// The ping packet `2`.
  static let ping = OutboundPacket.text([UInt8(ascii: "2")])
  /// The noop packet `6`.
  static let noop = OutboundPacket.text([UInt8(ascii: "6")])
  /// The close packet `1`.
  static let close = OutboundPacket.text([UInt8(ascii: "1")])

  /// An Engine.IO message (`4`) carrying a Socket.IO packet.
  static func socketIO(_ packet: SocketIOPacket) -> OutboundPacket {
    var bytes: [UInt8] = [UInt8(ascii: "4")]
    SocketIOPacketEncoder.encode(packet, into: &bytes)
    return .text(bytes)
  }

  /// Payload size, for the outbound byte limit.
  var byteCount: Int {
    switch self {
    case .text(let bytes), .binary(let bytes): return bytes.count
    }
  }

  /// Appends this packet as a polling record (`<digit><data>` or `b<base64>`).
  func appendRecord(to output: inout [UInt8]) {
    switch self {
    case .text(let bytes):
      output.append(contentsOf: bytes)
    case .binary(let bytes):
      output.append(UInt8(ascii: "b"))
      Base64.encode(bytes, into: &output)
    }
  }

  /// A polling response body: records joined by the record separator 0x1E.
  static func payload(_ packets: [OutboundPacket]) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(packets.reduce(0) { $0 + $1.byteCount + 1 })
    for (index, packet) in packets.enumerated() {
      if index > 0 { output.append(0x1E) }
      packet.appendRecord(to: &output)
    }
    return output
  }

  /// WebSocket frame chunks: a small header and the shared payload (written with one
  /// `sendmsg`, no copy of the payload).
  func appendFrame(to chunks: inout [[UInt8]]) {
    var header: [UInt8] = []
    switch self {
    case .text(let bytes):
      WebSocketFrameEncoder.encodeHeader(opcode: .text, length: bytes.count, into: &header)
      chunks.append(header)
      chunks.append(bytes)
    case .binary(let bytes):
      WebSocketFrameEncoder.encodeHeader(opcode: .binary, length: bytes.count, into: &header)
      chunks.append(header)
      chunks.append(bytes)
    }
  }
}

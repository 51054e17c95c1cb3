@testable import Protocol

/// Masked client frames for tests, with a fixed default key.
enum WebSocketClientFrames {
  /// The RFC 6455 §5.7 example key.
  static let key: (UInt8, UInt8, UInt8, UInt8) = (0x37, 0xFA, 0x21, 0x3D)

  /// One masked frame carrying `payload`.
  static func frame(_ opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true) -> [UInt8] {
    var output: [UInt8] = []
    WebSocketFrameEncoder.encodeMasked(
      opcode: opcode, payload: payload, maskingKey: key, fin: fin, into: &output)
    return output
  }

  /// One masked frame carrying the UTF-8 bytes of `text`.
  static func frame(_ opcode: WebSocketOpcode, _ text: String, fin: Bool = true) -> [UInt8] {
    frame(opcode, Array(text.utf8), fin: fin)
  }
}

extension Array where Element == UInt8 {
  /// Bytes from a hex string with optional spaces, e.g. `"81 85 37 fa"`.
  init(webSocketHex hex: String) {
    let digits = hex.filter { !$0.isWhitespace }
    var bytes: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
      let next = digits.index(index, offsetBy: 2)
      bytes.append(UInt8(digits[index..<next], radix: 16) ?? 0)
      index = next
    }
    self = bytes
  }
}

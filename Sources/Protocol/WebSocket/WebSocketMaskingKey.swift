/// The four-byte key a client XORs over every payload it sends (RFC 6455 §5.3).
struct WebSocketMaskingKey: Sendable, Equatable {
  /// The key bytes in wire order, first byte most significant.
  var value: UInt32

  /// A key from its four wire bytes.
  init(_ k0: UInt8, _ k1: UInt8, _ k2: UInt8, _ k3: UInt8) {
    value = UInt32(k0) << 24 | UInt32(k1) << 16 | UInt32(k2) << 8 | UInt32(k3)
  }

  /// Key byte number `index % 4`.
  @inline(__always)
  func byte(at index: Int) -> UInt8 {
    UInt8(truncatingIfNeeded: value >> UInt32(24 - 8 * (index & 3)))
  }

  /// XORs `bytes` with the key in place; `phase` is how many payload bytes of the same frame
  /// came before, so a payload can be unmasked in pieces as it arrives.
  func apply(to bytes: UnsafeMutableRawBufferPointer, phase: Int) {
    // Eight bytes per step: the key repeated twice, rotated to the phase, laid out in memory
    // order (little-endian representation converted to native).
    var pattern: UInt64 = 0
    for offset in 0..<8 { pattern |= UInt64(byte(at: phase + offset)) << UInt64(8 * offset) }
    let word = UInt64(littleEndian: pattern)
    let count = bytes.count
    var index = 0
    while count - index >= 8 {
      let masked = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ word
      bytes.storeBytes(of: masked, toByteOffset: index, as: UInt64.self)
      index += 8
    }
    while index < count {
      bytes[index] ^= byte(at: phase + index)
      index += 1
    }
  }

  /// XORs the elements `range` of `array` in place; see `apply(to:phase:)`.
  func apply(to array: inout [UInt8], range: Range<Int>, phase: Int) {
    array.withUnsafeMutableBytes { raw in
      apply(to: UnsafeMutableRawBufferPointer(rebasing: raw[range]), phase: phase)
    }
  }
}

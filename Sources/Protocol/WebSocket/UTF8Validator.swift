/// Incremental UTF-8 well-formedness check, fed in pieces of any size.
///
/// Follows the Unicode Standard's table of well-formed byte sequences (Table 3-7), so it
/// rejects overlong forms (`C0`, `C1`, `E0 80..9F`, `F0 80..8F`), UTF-16 surrogates
/// (`ED A0..BF`, U+D800-DFFF) and code points above U+10FFFF (`F4 90..`, `F5..FF`):
///
/// ```
/// 00..7F
/// C2..DF  80..BF
/// E0      A0..BF  80..BF
/// E1..EC  80..BF  80..BF
/// ED      80..9F  80..BF
/// EE..EF  80..BF  80..BF
/// F0      90..BF  80..BF  80..BF
/// F1..F3  80..BF  80..BF  80..BF
/// F4      80..8F  80..BF  80..BF
/// ```
///
/// A piece may end inside a sequence; the next piece continues it. A byte is rejected as
/// soon as it cannot start or continue a well-formed sequence, which lets a WebSocket text
/// message fail on the fragment that breaks it (Autobahn 6.x "fail fast"). After a failure
/// the validator stays failed until `reset()`.
public struct UTF8Validator: Sendable, Equatable {
  /// Continuation bytes still expected by the sequence in progress; `failed` after an error.
  private var pending: UInt8 = 0
  /// Lowest allowed value of the next continuation byte.
  private var lower: UInt8 = 0x80
  /// Highest allowed value of the next continuation byte.
  private var upper: UInt8 = 0xBF

  private static let failed: UInt8 = 0xFF

  /// A validator at the start of a text.
  public init() {}

  /// Whether everything consumed so far is well-formed and ends on a character boundary,
  /// i.e. the text may end here.
  public var isComplete: Bool { pending == 0 }

  /// Whether an ill-formed byte has been seen.
  public var hasFailed: Bool { pending == Self.failed }

  /// Forgets all input, ready for a new text.
  public mutating func reset() {
    self = UTF8Validator()
  }

  /// Consumes `bytes`; returns false as soon as one is ill-formed (and on every later call).
  public mutating func consume(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard pending != Self.failed else { return false }
    var index = 0
    let count = bytes.count
    while index < count {
      // ASCII fast path: eight bytes per step while no sequence is open.
      if pending == 0, count - index >= 8 {
        let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        if word & 0x8080_8080_8080_8080 == 0 {
          index += 8
          continue
        }
      }
      guard step(bytes[index]) else {
        pending = Self.failed
        return false
      }
      index += 1
    }
    return true
  }

  /// Consumes `bytes`; returns false as soon as one is ill-formed (and on every later call).
  public mutating func consume(_ bytes: some Collection<UInt8>) -> Bool {
    let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
      consume(UnsafeRawBufferPointer(buffer))
    }
    if let contiguous { return contiguous }
    return Array(bytes).withUnsafeBytes { consume($0) }
  }

  /// Whether `bytes` is, on its own, a complete well-formed UTF-8 text.
  public static func isValid(_ bytes: some Collection<UInt8>) -> Bool {
    var validator = UTF8Validator()
    return validator.consume(bytes) && validator.isComplete
  }

  /// Advances over one byte; false if it is ill-formed here.
  @inline(__always)
  private mutating func step(_ byte: UInt8) -> Bool {
    if pending > 0 {
      guard byte >= lower, byte <= upper else { return false }
      pending -= 1
      lower = 0x80
      upper = 0xBF
      return true
    }
    switch byte {
    case 0x00...0x7F: return true
    case 0xC2...0xDF: expect(1, 0x80, 0xBF)
    case 0xE0: expect(2, 0xA0, 0xBF)
    case 0xE1...0xEC, 0xEE...0xEF: expect(2, 0x80, 0xBF)
    case 0xED: expect(2, 0x80, 0x9F)
    case 0xF0: expect(3, 0x90, 0xBF)
    case 0xF1...0xF3: expect(3, 0x80, 0xBF)
    case 0xF4: expect(3, 0x80, 0x8F)
    default: return false
    }
    return true
  }

  @inline(__always)
  private mutating func expect(_ count: UInt8, _ low: UInt8, _ high: UInt8) {
    pending = count
    lower = low
    upper = high
  }
}

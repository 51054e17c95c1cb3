/// One libFuzzer input, cut into the control bytes a target reads first and the data it
/// parses.
///
/// ```
/// byte 0   options   target-specific switches (limits, modes), documented per target
/// byte 1   split     how the data is fed: 0 byte by byte, 255 in one piece, otherwise
///                    seeded random pieces of 1 to 1 + split % 61 bytes
/// byte 2…  data      what the parser sees
/// ```
///
/// Every choice comes from the input itself, so libFuzzer mutates the split as it mutates
/// the bytes, and a crash file replays exactly.
struct FuzzInput {
  /// Target-specific switches (byte 0; 0 when the input is empty).
  let options: UInt8
  /// The split selector (byte 1; 255, one piece, when the input is shorter).
  let split: UInt8
  /// The bytes under test.
  let data: [UInt8]

  /// Reads libFuzzer's buffer.
  init(_ start: UnsafeRawPointer?, _ count: Int) {
    let bytes = start.map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? []
    options = bytes.first ?? 0
    split = bytes.count > 1 ? bytes[1] : 255
    data = Array(bytes.dropFirst(2))
  }

  /// Whether bit `bit` of `options` is set.
  func option(_ bit: Int) -> Bool {
    options & (1 << bit) != 0
  }

  /// `options` bits `bit` and `bit + 1` as a number 0...3, to pick one of four settings.
  func choice(at bit: Int) -> Int {
    Int((options >> bit) & 0b11)
  }

  /// Piece sizes adding up to `data.count`, as `split` says.
  func pieces() -> [Int] {
    let count = data.count
    guard count > 0 else { return [] }
    switch split {
    case 0: return Array(repeating: 1, count: count)
    case 255: return [count]
    default:
      var random = FuzzRandom(seed: UInt64(split))
      let largest = 1 + Int(split % 61)
      var sizes: [Int] = []
      var remaining = count
      while remaining > 0 {
        let size = min(remaining, 1 + Int(random.next() % UInt64(largest)))
        sizes.append(size)
        remaining -= size
      }
      return sizes
    }
  }
}

/// Deterministic SplitMix64 generator for the seeded mutation tests: the same seed gives the
/// same cases on every run and machine, so a failure names its reproducer.
struct JSONMutationGenerator: RandomNumberGenerator {
  private var random: SeededRandom

  init(seed: UInt64) {
    random = SeededRandom(seed: seed)
  }

  mutating func next() -> UInt64 {
    random.next()
  }

  /// `bytes` with one to three random edits: flip, insert, delete, duplicate or truncate.
  mutating func mutate(_ bytes: [UInt8], alphabet: [UInt8]) -> [UInt8] {
    var result = bytes
    for _ in 0..<Int.random(in: 1...3, using: &self) {
      let position = result.isEmpty ? 0 : Int.random(in: 0..<result.count, using: &self)
      switch Int.random(in: 0..<6, using: &self) {
      case 0 where !result.isEmpty:
        result[position] = UInt8.random(in: 0...255, using: &self)
      case 1:
        result.insert(alphabet.randomElement(using: &self) ?? 0, at: position)
      case 2 where !result.isEmpty:
        result.remove(at: position)
      case 3 where !result.isEmpty:
        let length = Int.random(in: 1...min(8, result.count - position), using: &self)
        result.insert(contentsOf: result[position..<(position + length)], at: position)
      case 4:
        result = Array(result.prefix(position))
      default:
        result.insert(alphabet.randomElement(using: &self) ?? 0, at: result.count)
      }
    }
    return result
  }
}

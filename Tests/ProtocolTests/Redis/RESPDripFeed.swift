@testable import Protocol

/// What a decoder made of a byte stream: the values in order, then the error if one was
/// thrown, or else how many bytes were left unconsumed.
struct RESPDecodeOutcome: Equatable, CustomStringConvertible {
  var values: [RESPValue] = []
  var error: RESPParseError?
  var unconsumedBytes = 0

  var description: String {
    "values: \(values), error: \(error.map(String.init(describing:)) ?? "none"), "
      + "unconsumed: \(unconsumedBytes)"
  }
}

/// Feeds byte streams to a `RESPDecoder` in chunks, the way reads arrive (NIO's
/// `ByteToMessageDecoderVerifier` idea): all at once, byte by byte, random splits.
enum RESPDripFeed {
  /// Feeds `bytes` split into `chunkSizes` (the last chunk takes whatever is left).
  static func decode(_ bytes: [UInt8], chunkSizes: [Int], decoder: RESPDecoder)
    -> RESPDecodeOutcome
  {
    var decoder = decoder
    var outcome = RESPDecodeOutcome()
    var buffer = ByteBuffer()
    var offset = 0
    var sizes = chunkSizes.makeIterator()
    while offset < bytes.count {
      let size = min(max(sizes.next() ?? bytes.count, 1), bytes.count - offset)
      buffer.writeBytes(bytes[offset..<(offset + size)])
      offset += size
      do {
        while let value = try decoder.decode(&buffer) { outcome.values.append(value) }
      } catch {
        outcome.error = error
        return outcome
      }
      buffer.discardReadBytes()
    }
    outcome.unconsumedBytes = buffer.readableBytes
    return outcome
  }

  /// The outcome with everything in one read.
  static func allAtOnce(_ bytes: [UInt8], decoder: RESPDecoder = RESPDecoder())
    -> RESPDecodeOutcome
  {
    decode(bytes, chunkSizes: [bytes.count], decoder: decoder)
  }

  /// The outcomes of the interesting splits: all at once, byte by byte, and `randomSplits`
  /// seeded random splits.
  static func everySplit(
    _ bytes: [UInt8], decoder: RESPDecoder = RESPDecoder(), randomSplits: Int = 4,
    seed: UInt64 = 1
  ) -> [RESPDecodeOutcome] {
    var outcomes = [
      allAtOnce(bytes, decoder: decoder),
      decode(bytes, chunkSizes: Array(repeating: 1, count: bytes.count), decoder: decoder),
    ]
    var random = SeededRandom(seed: seed)
    for _ in 0..<randomSplits {
      var sizes: [Int] = []
      var total = 0
      while total < bytes.count {
        let size = Int.random(in: 1...max(1, min(bytes.count, 40)), using: &random)
        sizes.append(size)
        total += size
      }
      outcomes.append(decode(bytes, chunkSizes: sizes, decoder: decoder))
    }
    return outcomes
  }
}

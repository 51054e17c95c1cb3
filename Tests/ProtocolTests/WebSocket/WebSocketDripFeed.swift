@testable import Protocol

/// What a decoder made of a byte stream: the messages in order, then the error if one was
/// thrown, or else how many bytes were left unconsumed (after an error that count depends
/// on how the bytes were split, because invalid text fails as soon as it is seen).
struct WebSocketDecodeOutcome: Equatable, CustomStringConvertible {
  var messages: [WebSocketMessageDecoder.Message] = []
  var error: WebSocketProtocolError?
  var unconsumedBytes = 0

  var description: String {
    "messages: \(messages), error: \(error.map(String.init(describing:)) ?? "none"), "
      + "unconsumed: \(unconsumedBytes)"
  }
}

/// Feeds byte streams to a `WebSocketMessageDecoder` in chunks, the way reads arrive
/// (NIO's `ByteToMessageDecoderVerifier` idea): all at once, byte by byte, random splits.
enum WebSocketDripFeed {
  /// Feeds `bytes` split into `chunkSizes` (the last chunk takes whatever is left).
  static func decode(
    _ bytes: [UInt8], chunkSizes: [Int], decoder: WebSocketMessageDecoder
  ) -> WebSocketDecodeOutcome {
    var decoder = decoder
    var outcome = WebSocketDecodeOutcome()
    var buffer = ByteBuffer()
    var offset = 0
    var sizes = chunkSizes.makeIterator()
    while offset < bytes.count {
      let size = min(max(sizes.next() ?? bytes.count, 1), bytes.count - offset)
      buffer.writeBytes(bytes[offset..<(offset + size)])
      offset += size
      do {
        while let message = try decoder.next(from: &buffer) { outcome.messages.append(message) }
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
  static func allAtOnce(_ bytes: [UInt8], decoder: WebSocketMessageDecoder)
    -> WebSocketDecodeOutcome
  {
    decode(bytes, chunkSizes: [bytes.count], decoder: decoder)
  }

  /// The outcomes of the interesting splits: all at once, byte by byte, and `randomSplits`
  /// seeded random splits.
  static func everySplit(
    _ bytes: [UInt8], decoder: WebSocketMessageDecoder, randomSplits: Int = 4, seed: UInt64 = 1
  ) -> [WebSocketDecodeOutcome] {
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

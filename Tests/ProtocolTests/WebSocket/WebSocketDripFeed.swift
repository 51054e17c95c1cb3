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
    var random = WebSocketTestRandom(seed: seed)
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

/// SplitMix64: a tiny seeded generator so random tests replay exactly.
struct WebSocketTestRandom: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) {
    state = seed
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
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

/// Masked client frames for tests, with a fixed default key.
enum WebSocketClientFrames {
  static let key: (UInt8, UInt8, UInt8, UInt8) = (0x37, 0xFA, 0x21, 0x3D)

  static func frame(_ opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true) -> [UInt8] {
    var output: [UInt8] = []
    WebSocketFrameEncoder.encodeMasked(
      opcode: opcode, payload: payload, maskingKey: key, fin: fin, into: &output)
    return output
  }

  static func frame(_ opcode: WebSocketOpcode, _ text: String, fin: Bool = true) -> [UInt8] {
    frame(opcode, Array(text.utf8), fin: fin)
  }
}

import Testing

@testable import Protocol

/// What a parser made of a whole byte stream: its outputs, then either the error it threw or
/// the bytes it left unconsumed.
struct HTTPParseRun: Equatable, CustomStringConvertible {
  var outputs: [HTTPRequestParser.Output]
  var error: HTTPParseError?
  /// Unconsumed bytes at the end; left empty when the run threw, since how much was consumed
  /// before an error depends on the split.
  var leftover: [UInt8]

  var description: String {
    "outputs: \(outputs), error: \(String(describing: error)), leftover: \(leftover.count) bytes"
  }
}

/// Drives `HTTPRequestParser` the way the server does, over different splits of the same bytes
/// (NIO's `ByteToMessageDecoderVerifier` idea): every split must give the same run.
enum HTTPParserHarness {
  /// Appends `bytes` to a buffer piece by piece, calling `next(from:)` until nil after each
  /// piece and discarding read bytes between pieces, as the server's read loop does.
  /// - Parameter stopAfterRequests: Stop parsing after this many requests (an upgrade hands
  ///   the rest of the stream to another decoder); later pieces are only appended.
  static func run(
    _ bytes: [UInt8], pieces: [Int], limits: HTTPLimits = HTTPLimits(),
    stopAfterRequests: Int? = nil
  ) -> HTTPParseRun {
    var parser = HTTPRequestParser(limits: limits)
    var buffer = ByteBuffer()
    var outputs: [HTTPRequestParser.Output] = []
    var requests = 0
    var offset = 0
    for size in pieces {
      buffer.writeBytes(bytes[offset..<(offset + size)])
      offset += size
      guard requests != stopAfterRequests else { continue }
      do {
        while let output = try parser.next(from: &buffer) {
          outputs.append(output)
          if case .request = output { requests += 1 }
          if requests == stopAfterRequests { break }
        }
      } catch {
        return HTTPParseRun(outputs: outputs, error: error, leftover: [])
      }
      buffer.discardReadBytes()
    }
    return HTTPParseRun(outputs: outputs, error: nil, leftover: Array(buffer.readableBytesView))
  }

  /// The stream in one piece.
  static func whole(
    _ bytes: [UInt8], limits: HTTPLimits = HTTPLimits(), stopAfterRequests: Int? = nil
  ) -> HTTPParseRun {
    run(bytes, pieces: [bytes.count], limits: limits, stopAfterRequests: stopAfterRequests)
  }

  /// Every split to check: one piece, byte by byte, and `randomSplits` seeded random splits.
  static func splits(count: Int, seed: UInt64, randomSplits: Int = 8) -> [[Int]] {
    var random = SeededRandom(seed: seed)
    var result = [[count], Array(repeating: 1, count: count)]
    for _ in 0..<randomSplits {
      result.append(randomPieces(count: count, using: &random))
    }
    return result
  }

  /// A head for expectations, headers given as pairs.
  static func head(
    _ method: String, _ target: String, version: HTTPVersion = .http1_1,
    _ headers: [(String, String)]
  ) -> HTTPRequestHead {
    HTTPRequestHead(
      method: method, target: target, version: version,
      headers: HTTPHeaders(headers.map { (name: $0.0, value: $0.1) }))
  }

  /// Random piece sizes (1 to a third of the stream) adding up to `count`.
  static func randomPieces(count: Int, using random: inout SeededRandom) -> [Int] {
    var pieces: [Int] = []
    var remaining = count
    while remaining > 0 {
      let size = Int.random(in: 1...max(1, min(remaining, count / 3)), using: &random)
      pieces.append(size)
      remaining -= size
    }
    return pieces
  }
}

/// A byte stream the parser must reject, and the status it must reject it with.
struct HTTPBadRequestCase: Sendable, CustomTestStringConvertible {
  var name: String
  var bytes: [UInt8]
  var status: Int
  /// The exact message, when the case pins it.
  var message: String?
  var limits: HTTPLimits

  init(
    _ name: String, _ text: String, _ status: Int, message: String? = nil,
    limits: HTTPLimits = HTTPLimits()
  ) {
    self.init(name, Array(text.utf8), status, message: message, limits: limits)
  }

  init(
    _ name: String, _ bytes: [UInt8], _ status: Int, message: String? = nil,
    limits: HTTPLimits = HTTPLimits()
  ) {
    self.name = name
    self.bytes = bytes
    self.status = status
    self.message = message
    self.limits = limits
  }

  var testDescription: String { "\(name) -> \(status)" }

  /// Checks the case in one piece and under every split: same error each time, nothing else.
  func verify(sourceLocation: SourceLocation = #_sourceLocation) {
    let whole = HTTPParserHarness.whole(bytes, limits: limits)
    #expect(whole.error?.status == status, "\(whole)", sourceLocation: sourceLocation)
    if let message {
      #expect(whole.error?.message == message, sourceLocation: sourceLocation)
    }
    for pieces in HTTPParserHarness.splits(count: bytes.count, seed: UInt64(bytes.count)) {
      let run = HTTPParserHarness.run(bytes, pieces: pieces, limits: limits)
      #expect(run == whole, "pieces: \(pieces)", sourceLocation: sourceLocation)
    }
  }
}

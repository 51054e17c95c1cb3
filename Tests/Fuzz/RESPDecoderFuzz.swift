import Protocol

/// libFuzzer entry point of the `resp` target.
@_cdecl("LLVMFuzzerTestOneInput")
public func respDecoderFuzzEntry(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  RESPDecoderFuzz.run(FuzzInput(start, count))
  return 0
}

/// Fuzzes `RESPDecoder` on a server's reply stream, fed in the fuzzer's pieces.
///
/// Options: bits 0-1 pick the limits (the defaults; small: bulk 64, 8 elements, depth 4,
/// lines of 32; tiny: bulk 0, 1 element, depth 1, lines of 2; medium: bulk 1024, 100
/// elements, depth 16, lines of 256).
///
/// Invariants: the split changes nothing (values, error, unconsumed bytes); every value
/// keeps to the limits (bulk lengths, elements per aggregate, depth); errors carry a
/// message; every value, encoded again, decodes to exactly one value equal to it (NaN
/// aside) whose encoding is the same bytes.
enum RESPDecoderFuzz {
  static let limits = [
    RESPLimits(),
    RESPLimits(maxBulkLength: 64, maxElementCount: 8, maxDepth: 4, maxLineLength: 32),
    RESPLimits(maxBulkLength: 0, maxElementCount: 1, maxDepth: 1, maxLineLength: 2),
    RESPLimits(maxBulkLength: 1024, maxElementCount: 100, maxDepth: 16, maxLineLength: 256),
  ]

  /// What a decoder made of the whole stream.
  struct Outcome: Equatable {
    var values: [RESPValue] = []
    var error: RESPParseError?
    /// Unconsumed bytes at the end, when no error was thrown.
    var unconsumed = 0
  }

  static func run(_ input: FuzzInput) {
    let decoder = RESPDecoder(limits: limits[input.choice(at: 0)])
    let whole = decode(input.data, pieces: [input.data.count], decoder)
    let split = decode(input.data, pieces: input.pieces(), decoder)
    // Compared by encoding, because NaN makes equal outcomes compare unequal.
    FuzzCheck.require(
      encoded(whole.values) == encoded(split.values) && whole.error == split.error
        && whole.unconsumed == split.unconsumed,
      "split \(input.split) changed the outcome")
    if let error = whole.error {
      FuzzCheck.require(!error.message.isEmpty, "error without a message")
    }
    for value in whole.values {
      check(value, limits: decoder.limits, depth: 0)
      roundTrip(value)
    }
  }

  static func decode(_ bytes: [UInt8], pieces: [Int], _ decoder: RESPDecoder) -> Outcome {
    var decoder = decoder
    var buffer = ByteBuffer()
    var outcome = Outcome()
    var offset = 0
    for size in pieces where size > 0 {
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
    outcome.unconsumed = buffer.readableBytes
    return outcome
  }

  /// The value and its children keep to `limits`; `depth` counts the aggregates around it.
  static func check(_ value: RESPValue, limits: RESPLimits, depth: Int) {
    switch value {
    case .bulkString(let bytes):
      FuzzCheck.require(bytes.count <= limits.maxBulkLength, "bulk over the limit")
    case .verbatimString(_, let text):
      FuzzCheck.require(text.count + 4 <= limits.maxBulkLength, "verbatim over the limit")
    case .array(let elements), .set(let elements), .push(let elements):
      FuzzCheck.require(depth < limits.maxDepth, "aggregate deeper than the limit")
      FuzzCheck.require(elements.count <= limits.maxElementCount, "aggregate over the limit")
      for element in elements { check(element, limits: limits, depth: depth + 1) }
    case .map(let entries):
      FuzzCheck.require(depth < limits.maxDepth, "map deeper than the limit")
      FuzzCheck.require(entries.count <= limits.maxElementCount, "map over the limit")
      for entry in entries {
        check(entry.key, limits: limits, depth: depth + 1)
        check(entry.value, limits: limits, depth: depth + 1)
      }
    default:
      break
    }
  }

  /// Encodes `value`, decodes it with default limits, and compares.
  static func roundTrip(_ value: RESPValue) {
    let bytes = encoded([value])
    var decoder = RESPDecoder()
    var buffer = ByteBuffer(bytes: bytes)
    let again: RESPValue?
    do {
      again = try decoder.decode(&buffer)
    } catch {
      FuzzCheck.require(false, "re-encoded value fails: \(error)")
      return
    }
    FuzzCheck.require(buffer.readableBytes == 0, "re-encoded value leaves bytes")
    guard let again else {
      FuzzCheck.require(false, "re-encoded value is incomplete")
      return
    }
    // A value holding NaN is not equal to itself; its bytes must still be a fixed point.
    FuzzCheck.require(
      containsNaN(value) || again == value, "re-encoded value decodes differently")
    FuzzCheck.require(encoded([again]) == bytes, "encoding is not a fixed point")
  }

  /// Whether a NaN double is anywhere in `value` (`value == value` cannot tell: arrays that
  /// share storage compare equal without looking at their elements).
  static func containsNaN(_ value: RESPValue) -> Bool {
    switch value {
    case .double(let number): number.isNaN
    case .array(let elements), .set(let elements), .push(let elements):
      elements.contains(where: containsNaN)
    case .map(let entries): entries.contains { containsNaN($0.key) || containsNaN($0.value) }
    default: false
    }
  }

  static func encoded(_ values: [RESPValue]) -> [UInt8] {
    var bytes: [UInt8] = []
    for value in values { RESPEncoder.encode(value, into: &bytes) }
    return bytes
  }
}

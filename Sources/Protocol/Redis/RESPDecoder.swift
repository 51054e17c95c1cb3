/// Incremental decoder of the replies and pushes a Redis server sends, RESP2 and RESP3.
///
/// Call `decode(_:)` with the connection's buffer after every read, until it returns nil
/// ("need more bytes"). Only complete top-level values are consumed: while a value is still
/// arriving the buffer's reader index does not move, and the decoder remembers how far it
/// has parsed (and the aggregates it has begun), so a large reply arriving in many reads is
/// parsed once, in linear time. Between calls the caller may append to the buffer and
/// `discardReadBytes()`, but must not read from it.
///
/// Every length is checked against `limits` as soon as its header line is complete, before
/// the bytes behind it are waited for. Attributes (`|`) are parsed, bounded like maps, and
/// dropped. After a thrown error the decoder keeps throwing it: close the connection.
public struct RESPDecoder: Sendable {
  /// The bounds checked while decoding.
  public let limits: RESPLimits

  /// Bytes of the value being decoded already parsed, counted from the reader index.
  private var offset = 0
  /// The aggregates begun and not yet complete, outermost first.
  private var stack: [Frame] = []
  /// The first error, thrown again by every later call.
  private var failure: RESPParseError?

  /// A decoder enforcing `limits` (defaults documented on `RESPLimits`).
  public init(limits: RESPLimits = RESPLimits()) {
    self.limits = limits
  }

  /// Consumes the next complete value from `buffer` and returns it, or returns nil when
  /// more bytes are needed (consuming nothing of a value that is still incomplete).
  public mutating func decode(_ buffer: inout ByteBuffer) throws(RESPParseError) -> RESPValue? {
    if let failure { throw failure }
    do throws(RESPParseError) {
      return try decodeNext(&buffer)
    } catch {
      failure = error
      throw error
    }
  }

  private mutating func decodeNext(_ buffer: inout ByteBuffer) throws(RESPParseError)
    -> RESPValue?
  {
    // A buffer that shrank was read by someone else; the saved progress no longer applies.
    if offset > buffer.readableBytes {
      offset = 0
      stack.removeAll()
    }
    let bytes = buffer.readableBytesView
    while true {
      guard let (item, end) = try parseItem(bytes, at: bytes.startIndex + offset) else {
        return nil
      }
      offset = end - bytes.startIndex
      var value: RESPValue
      switch item {
      case .value(let scalar):
        value = scalar
      case .aggregate(let kind, let count):
        guard stack.count < limits.maxDepth else {
          throw .limit("RESP value nests deeper than \(limits.maxDepth) aggregates")
        }
        guard count == 0 else {
          stack.append(Frame(kind: kind, expected: count * kind.valuesPerElement))
          continue
        }
        guard let empty = Frame(kind: kind, expected: 0).build() else { continue }
        value = empty
      }
      // Hand the finished value to its parent; a parent it completes is finished in turn.
      folding: while true {
        guard let last = stack.indices.last else {
          buffer.moveReaderIndex(forwardBy: offset)
          offset = 0
          return value
        }
        stack[last].elements.append(value)
        guard stack[last].elements.count == stack[last].expected else { break folding }
        // An attribute annotates the value after it: drop it and parse on.
        guard let built = stack.removeLast().build() else { break folding }
        value = built
      }
    }
  }
}

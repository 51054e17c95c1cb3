/// Bounds that `RESPDecoder` enforces on what a server sends, each checked the moment the
/// length it bounds is known, before the bytes behind it are waited for.
///
/// The server is ours, but a wrong port, a proxy or a bug must not make the gateway buffer
/// without end: every value the decoder accepts is at most `maxBulkLength` bytes per string,
/// `maxElementCount` children per aggregate and `maxDepth` aggregates deep.
public struct RESPLimits: Sendable, Equatable {
  /// Longest bulk, blob error or verbatim string, in bytes. Redis's own default cap
  /// (`proto-max-bulk-len`) is 512 MiB; the gateway stores messages of at most 1 MB, so
  /// 64 MiB leaves room for large `XRANGE` entries and still bounds one reply.
  public var maxBulkLength: Int
  /// Most children of one aggregate: items of an array, set or push, entries (key-value
  /// pairs) of a map or attribute. One million covers any `XRANGE`/`SMEMBERS` the gateway
  /// asks for (it pages with `COUNT`).
  public var maxElementCount: Int
  /// Deepest nesting of aggregates (attributes included). `XREAD` replies are four deep;
  /// 32 is generous and keeps hostile input from building deep values that recursive
  /// consumers (the encoder) walk.
  public var maxDepth: Int
  /// Longest line (type byte and CRLF excluded) of a simple string, error, number or
  /// header. Redis error lines are under 200 bytes; 64 KiB is far above any legitimate one.
  public var maxLineLength: Int

  /// Limits with the defaults documented on each property.
  public init(
    maxBulkLength: Int = 64 * 1024 * 1024,
    maxElementCount: Int = 1_048_576,
    maxDepth: Int = 32,
    maxLineLength: Int = 64 * 1024
  ) {
    self.maxBulkLength = maxBulkLength
    self.maxElementCount = maxElementCount
    self.maxDepth = maxDepth
    self.maxLineLength = maxLineLength
  }
}

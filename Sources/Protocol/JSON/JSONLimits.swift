/// Bounds that `JSONParser` enforces while parsing untrusted input.
///
/// Each limit is checked the moment it is crossed, before more memory is spent.
public struct JSONLimits: Sendable {
  /// Deepest nesting of arrays and objects: 64 containers inside each other are accepted,
  /// the 65th is an error. Socket.IO payloads are shallow; the bound keeps hostile input
  /// from building very deep values that recursive consumers (the writer) walk.
  public var maxDepth: Int = 64
  /// Largest input, in bytes. 1 MB matches Engine.IO's default `maxHttpBufferSize`, which
  /// already bounds every message the gateway receives.
  public var maxBytes: Int = 1_000_000
  /// Longest single string (key or value), counted in UTF-8 bytes after unescaping. The
  /// default equals `maxBytes`, i.e. no extra bound; lower it to reject long keys or ids.
  public var maxStringBytes: Int = 1_000_000

  /// Limits with the defaults above, or the given values.
  public init(maxDepth: Int = 64, maxBytes: Int = 1_000_000, maxStringBytes: Int = 1_000_000) {
    self.maxDepth = maxDepth
    self.maxBytes = maxBytes
    self.maxStringBytes = maxStringBytes
  }
}

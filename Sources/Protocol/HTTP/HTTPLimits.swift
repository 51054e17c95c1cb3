/// Bounds on one HTTP/1.1 request; the parser checks each the moment the length it bounds is known.
public struct HTTPLimits: Sendable, Equatable {
  /// Most bytes in the request line plus all header lines, line endings and the empty line
  /// included (431 when over). Trailer lines of a chunked body count into the same budget, and
  /// so does (separately) the total of chunk-extension bytes (413 when over). The default,
  /// 16 KiB, is twice what browsers send with a full cookie jar.
  public var maxHeaderBytes: Int
  /// Most header fields, trailers included (431 when over). Browsers send about 20.
  public var maxHeaderCount: Int
  /// Longest request target (414 when over). 8 KiB is the de facto limit of common servers.
  public var maxTargetLength: Int
  /// Largest body after de-chunking (413 when over), checked against `Content-Length` before
  /// any body byte is read and against each chunk size as it arrives.
  public var maxBodyBytes: Int

  /// Limits with the defaults documented on each property.
  public init(
    maxHeaderBytes: Int = 16 * 1024,
    maxHeaderCount: Int = 100,
    maxTargetLength: Int = 8 * 1024,
    maxBodyBytes: Int = 1_000_000
  ) {
    self.maxHeaderBytes = maxHeaderBytes
    self.maxHeaderCount = maxHeaderCount
    self.maxTargetLength = maxTargetLength
    self.maxBodyBytes = maxBodyBytes
  }
}

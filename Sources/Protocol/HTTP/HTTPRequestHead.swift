/// The request line and header fields of one HTTP/1.x request.
public struct HTTPRequestHead: Sendable, Equatable {
  /// The method token as sent (`GET`, `POST`, ...); methods are case-sensitive.
  public var method: String
  /// The request target as sent, e.g. `/socket.io/?EIO=4&transport=polling`.
  public var target: String
  /// HTTP version: (1, 1) or (1, 0).
  public var version: HTTPVersion
  /// Header fields in arrival order.
  public var headers: HTTPHeaders

  /// A request head.
  public init(
    method: String, target: String, version: HTTPVersion = .http1_1,
    headers: HTTPHeaders = HTTPHeaders()
  ) {
    self.method = method
    self.target = target
    self.version = version
    self.headers = headers
  }

  /// The path part of the target (before `?`), not percent-decoded.
  public var path: Substring {
    if let mark = queryMark { return target[..<mark] }
    return target[...]
  }

  /// The query part of the target (after `?`), empty when there is none.
  public var query: Substring {
    if let mark = queryMark { return target[target.utf8.index(after: mark)...] }
    return ""
  }

  /// Where the `?` is. A byte search: `String.firstIndex(of: Character)` walks grapheme
  /// clusters and cost about 2,500 instructions per call on a REST request (callgrind), and
  /// the router asks for the path several times per request. `?` is ASCII, so the UTF-8
  /// index is also a character boundary.
  private var queryMark: String.Index? {
    let offset = target.utf8.withContiguousStorageIfAvailable { bytes in
      bytes.firstIndex(of: UInt8(ascii: "?"))
    }
    guard let offset else { return target.utf8.firstIndex(of: UInt8(ascii: "?")) }
    return offset.map { target.utf8.index(target.utf8.startIndex, offsetBy: $0) }
  }

  /// Whether the connection stays open after this request (RFC 9112 §9.3): HTTP/1.1 unless
  /// `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
  public var isKeepAlive: Bool {
    if version == .http1_1 { return !headers.contains(name: "connection", token: "close") }
    return headers.contains(name: "connection", token: "keep-alive")
  }
}

/// An HTTP/1.x protocol version.
public struct HTTPVersion: Sendable, Equatable, Hashable, CustomStringConvertible {
  public var major: Int
  public var minor: Int

  public init(major: Int, minor: Int) {
    self.major = major
    self.minor = minor
  }

  public static let http1_1 = HTTPVersion(major: 1, minor: 1)
  public static let http1_0 = HTTPVersion(major: 1, minor: 0)

  public var description: String { "HTTP/\(major).\(minor)" }
}

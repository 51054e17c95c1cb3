/// The status and header fields of a response; `HTTPResponseEncoder` writes the status line.
public struct HTTPResponseHead: Sendable, Equatable {
  /// Three-digit status code, e.g. 200.
  public var status: Int
  /// Header fields, written in this order.
  public var headers: HTTPHeaders

  /// A response head.
  public init(status: Int, headers: HTTPHeaders = HTTPHeaders()) {
    self.status = status
    self.headers = headers
  }
}

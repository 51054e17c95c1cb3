/// One complete HTTP/1.x request: its head and its whole body, de-chunked.
public struct HTTPRequest: Sendable, Equatable {
  /// Request line and header fields.
  public var head: HTTPRequestHead
  /// The body bytes; empty when the request had none.
  public var body: [UInt8]

  /// A request from its parts.
  public init(head: HTTPRequestHead, body: [UInt8] = []) {
    self.head = head
    self.body = body
  }
}

import Protocol

/// What a route made of a request.
enum RouteResult: Sendable {
  /// An HTTP response; the connection may stay open for the next request.
  case response(HTTPResponse)
  /// Switch the connection to WebSocket: write `response` (a 101), then hand the socket to
  /// `handler` for the rest of its life.
  case webSocket(HTTPResponse, any WebSocketHandler)
}

/// Serves one upgraded connection until it ends.
protocol WebSocketHandler: Sendable {
  /// Runs the WebSocket on `connection`; returns when it is closed.
  func run(on connection: inout WebSocketConnection) async
}

/// What a route sees of the connection besides the request: the socket (to notice a client
/// that hangs up during a long-poll) and the peer address for logs.
struct RequestContext: Sendable {
  /// The connection's socket.
  var channel: SocketChannel
  /// Peer address, for logs.
  var peer: String { channel.peer }
}

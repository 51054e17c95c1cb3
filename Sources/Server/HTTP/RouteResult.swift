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
  /// Runs the WebSocket on `connection` until it is closed (nil), or until the deep,
  /// one-off work of setting it up is done and the rest of its life should run in a fresh
  /// task (see `WebSocketContinuation`).
  func run(on connection: inout WebSocketConnection) async -> (any WebSocketContinuation)?
}

/// The rest of a WebSocket's life, run by a fresh task.
///
/// A Swift task keeps the allocator slabs of its deepest moment until it ends. The task
/// that parsed the upgrade request and authenticated the Socket.IO CONNECT went deep; an
/// idle socket parked in it would hold ~10 KB of empty slabs for its whole life. Handing
/// the connection to a new task frees them (see `HandOff`), and that task waits for input
/// at its top level, calling this only when something arrived: `AsyncStream`'s own wait
/// fills most of a 984-byte slab, so an idle socket fits its task in one slab only if no
/// handler frame sits under the wait (scripts/loadgen/experiments/task-memory.swift).
protocol WebSocketContinuation: Sendable {
  /// Handles every message that has arrived, without waiting for more: true when it wants
  /// to be called again once the socket is readable, false when the WebSocket is over.
  func handleAvailable(on connection: inout WebSocketConnection) async -> Bool
  /// The socket ended (hang-up, shutdown) while waiting for input.
  func socketEnded() async
}

/// What a route sees of the connection besides the request: the socket (to notice a client
/// that hangs up during a long-poll) and the peer address for logs.
struct RequestContext: Sendable {
  /// The connection's socket.
  var channel: SocketChannel
  /// The original client's address when another node of the cluster forwarded the request
  /// with a valid proof (`ClusterProof`); nil otherwise.
  var clientAddress: String? = nil
  /// Peer address, for logs: the original client's for a proven forwarded request.
  var peer: String { clientAddress ?? channel.peer }
}

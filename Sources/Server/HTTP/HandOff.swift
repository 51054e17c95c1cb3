/// A WebSocket leaving the task that accepted it, to run the rest of its life in a fresh
/// one (see `WebSocketContinuation`); it releases the socket when that ends.
///
/// A class, so that the connection's state lives in this one exact-size object and the new
/// task's frames hold only a reference: they then fit in the task's first allocator slab.
final class HandOff {
  private var connection: WebSocketConnection
  private let continuation: any WebSocketContinuation
  private let connections: ConnectionTracker
  /// A `let` copy of the connection's stream: reading it through `connection` (a `var`)
  /// would put an exclusivity-access buffer in the task's top frame.
  private let readable: AsyncStream<Void>

  init(
    connection: WebSocketConnection, continuation: any WebSocketContinuation,
    connections: ConnectionTracker
  ) {
    self.connection = connection
    self.continuation = continuation
    self.connections = connections
    readable = connection.readable
  }

  /// Runs the rest of the WebSocket's life in a new task. The task's closure is the loop
  /// itself and waits for readiness there, with nothing but its own small frame under the
  /// wait; the handlers run (and their frames come and go) only between waits. An idle
  /// socket's task then fits in one allocator slab (task-memory.swift: 1.6 KB, against
  /// 2.6 KB with even one small frame under the wait).
  static func start(_ handOff: sending HandOff) {
    Task {
      var edges = handOff.readable.makeAsyncIterator()
      while await handOff.handleAvailable() {
        guard await edges.next() != nil else {
          await handOff.socketEnded()
          break
        }
      }
      handOff.finish()
    }
  }

  @inline(never)
  private func handleAvailable() async -> Bool {
    await continuation.handleAvailable(on: &connection)
  }

  @inline(never)
  private func socketEnded() async {
    await continuation.socketEnded()
  }

  @inline(never)
  private func finish() {
    connections.remove(connection.channel)
    connection.channel.release()
  }
}

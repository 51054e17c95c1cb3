import Protocol

/// Logs a new connection in before it is shared: `HELLO 3` (with `AUTH` when the URL has a
/// password), `AUTH` on RESP2 servers that do not know `HELLO`, then `SELECT` of the URL's
/// database. It owns the socket's reading until `RedisConnection.run()` takes over with the
/// bytes and decoder state it leaves.
struct RedisHandshake {
  /// Where the connection goes.
  let url: RedisURL
  /// The connected socket.
  let channel: SocketChannel
  /// Bytes read and not yet decoded.
  var buffer = ByteBuffer()
  /// The reply decoder, handed on to the connection.
  var decoder: RESPDecoder

  /// Runs the log-in; returns the protocol version agreed (3, or 2 after the fallback).
  mutating func logIn() async throws(RedisError) -> Int {
    var hello = ["HELLO", "3"]
    if let password = url.password { hello += ["AUTH", url.username ?? "default", password] }
    var version = 3
    let reply = try await roundTrip(hello)
    if let message = reply.errorMessage {
      // Redis before 6 answers "ERR unknown command 'HELLO'"; NOPROTO refuses RESP3.
      guard message.hasPrefix("NOPROTO") || message.lowercased().contains("unknown command")
      else { throw refusal("HELLO", message) }
      version = 2
      if let password = url.password {
        let auth = url.username.map { ["AUTH", $0, password] } ?? ["AUTH", password]
        let reply = try await roundTrip(auth)
        if let message = reply.errorMessage { throw refusal("AUTH", message) }
      }
    }
    if url.database != 0 {
      let reply = try await roundTrip(["SELECT", String(url.database)])
      if let message = reply.errorMessage { throw refusal("SELECT \(url.database)", message) }
    }
    return version
  }

  /// The error for a refused setup command: a log-in failure when the reply says so.
  private func refusal(_ command: String, _ message: String) -> RedisError {
    let authFailures = ["WRONGPASS", "NOAUTH", "NOPERM", "ERR invalid password", "ERR AUTH"]
    if authFailures.contains(where: message.hasPrefix) {
      return .authenticationFailed(
        "Redis at \(url.host):\(url.port) refused the login: \(message)")
    }
    return .setupFailed("Redis at \(url.host):\(url.port) refused \(command): \(message)")
  }

  /// Writes one command and reads its reply.
  private mutating func roundTrip(_ command: [String]) async throws(RedisError) -> RESPValue {
    var bytes: [UInt8] = []
    RESPEncoder.encodeCommand(command, into: &bytes)
    guard channel.write(bytes) == .queued else { throw lost() }
    while true {
      do {
        if let value = try decoder.decode(&buffer) {
          if case .push = value { continue }
          return value
        }
      } catch {
        throw .protocolError("Redis at \(url.host):\(url.port) sent bad RESP: \(error)")
      }
      buffer.discardReadBytes()
      switch channel.read(into: &buffer) {
      case .bytes:
        continue
      case .wouldBlock:
        var edges = channel.readable.makeAsyncIterator()
        if await edges.next() == nil { throw lost() }
      case .endOfFile, .failed:
        throw lost()
      }
    }
  }

  private func lost() -> RedisError {
    .connectionLost("Redis at \(url.host):\(url.port) closed the connection during log-in")
  }
}

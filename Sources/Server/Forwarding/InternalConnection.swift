import Protocol
import Synchronization

/// One HTTP/1.1 keep-alive connection from this node to another node, used by one request at
/// a time (`InternalConnectionPool` lends it out): the request goes out whole, the answer is
/// read with `HTTPResponseParser`.
///
/// A value: it moves between the pool and the task using it, and only that task touches it.
struct InternalConnection: Sendable {
  /// Why an exchange failed.
  enum Failure: Error, Sendable, Equatable {
    /// The peer ended the connection before any byte of an answer: on a reused connection it
    /// most likely closed it while it was idle, and the request may be sent again on a new one.
    case closedBeforeAnswer
    /// The connection broke mid-answer, or the answer was malformed.
    case broken(String)
    /// No answer within the timeout; this side cut the connection.
    case timedOut
    /// This side cut the connection because the client it served went away.
    case clientGone
  }

  /// Why this side cut the connection, if it did: set by the deadline or by `cut`, read when
  /// the read ends, so that our own cut is not mistaken for the peer closing.
  final class Cut: Sendable {
    private let reason = Atomic<UInt8>(0)
    private let channel: SocketChannel

    init(channel: SocketChannel) {
      self.channel = channel
    }

    /// Shuts the connection down because the client went away.
    func clientGone() {
      cut(2)
    }

    /// Shuts the connection down once the request is out, because the client was gone
    /// before it was sent: the owner sees the request, then the end of the connection.
    func clientGoneAfterFlush() {
      _ = reason.compareExchange(expected: 0, desired: 2, ordering: .acquiringAndReleasing)
      channel.shutdownAfterFlush()
    }

    fileprivate func timedOut() {
      cut(1)
    }

    fileprivate var failure: Failure? {
      switch reason.load(ordering: .acquiring) {
      case 1: .timedOut
      case 2: .clientGone
      default: nil
      }
    }

    private func cut(_ code: UInt8) {
      _ = reason.compareExchange(expected: 0, desired: code, ordering: .acquiringAndReleasing)
      channel.shutdown()
    }
  }

  /// The socket.
  let channel: SocketChannel
  /// The node's `host:port`, the pool's key.
  let address: String
  /// Bounds the wait for an answer: the sweeper shuts the socket down when it passes.
  private let deadline: ConnectionDeadline
  /// Cuts the connection from another task (a client that hung up).
  let cut: Cut
  private var buffer = ByteBuffer()
  private var parser = HTTPResponseParser()
  /// False once the connection must not carry another request.
  private(set) var isReusable = true

  init(channel: SocketChannel, address: String, sweeper: DeadlineSweeper) {
    self.channel = channel
    self.address = address
    let cut = Cut(channel: channel)
    self.cut = cut
    deadline = ConnectionDeadline(sweeper: sweeper) { _ in cut.timedOut() }
  }

  /// Sends `request` (a whole encoded request) and reads the answer within `timeout`.
  mutating func exchange(_ request: [UInt8], timeout: Duration) async throws(Failure)
    -> HTTPResponseParser.Response
  {
    try send(request)
    return try await readResponse(timeout: timeout)
  }

  /// Queues a whole encoded request.
  mutating func send(_ request: [UInt8]) throws(Failure) {
    guard channel.write(request) == .queued else {
      isReusable = false
      throw .closedBeforeAnswer
    }
  }

  /// Reads the next complete answer; past `timeout` the socket is shut down and the read
  /// fails.
  mutating func readResponse(timeout: Duration) async throws(Failure)
    -> HTTPResponseParser.Response
  {
    let (seconds, attoseconds) = timeout.components
    deadline.arm(
      at: Clock.monotonicNanoseconds() + seconds * 1_000_000_000 + attoseconds / 1_000_000_000,
      midRequest: false)
    defer { deadline.disarm() }
    while true {
      do {
        if let response = try parser.next(from: &buffer) {
          buffer.discardReadBytes()
          if response.closesConnection { isReusable = false }
          return response
        }
      } catch {
        isReusable = false
        throw .broken("bad answer from \(address): \(error.message)")
      }
      switch channel.read(into: &buffer) {
      case .bytes:
        continue
      case .wouldBlock:
        var edges = channel.readable.makeAsyncIterator()
        if await edges.next() != nil { continue }
        fallthrough
      case .endOfFile, .failed:
        isReusable = false
        if let failure = cut.failure { throw failure }
        if parser.isMidResponse || buffer.readableBytes > 0 {
          throw .broken("connection to \(address) ended mid-answer")
        }
        throw .closedBeforeAnswer
      }
    }
  }

  /// Whether an idle connection is still fit to use: nothing arrived on it (a close, or bytes
  /// nobody asked for, make it unfit).
  mutating func isStillOpen() -> Bool {
    guard isReusable, buffer.readableBytes == 0 else { return false }
    switch channel.read(into: &buffer) {
    case .wouldBlock: return true
    case .bytes, .endOfFile, .failed:
      isReusable = false
      return false
    }
  }

  /// Bytes received after the last answer (a WebSocket's first frames after a `101`).
  mutating func takeBuffered() -> ByteBuffer {
    defer { buffer = ByteBuffer() }
    return buffer
  }

  /// Closes the socket; the connection is not used again.
  func close() {
    channel.shutdown()
    channel.release()
  }

  /// Opens a connection to `address` (`host:port`, `[v6]:port`), bounded by `timeout`.
  static func open(
    address: String, loop: EventLoop, sweeper: DeadlineSweeper, outboundLimit: Int,
    timeout: Duration
  ) async throws(Failure) -> InternalConnection {
    guard let (host, port) = split(address) else {
      throw .broken("bad node address \(address)")
    }
    do {
      let channel = try await TCPConnector.connect(
        host: host, port: port, loop: loop, outboundLimit: outboundLimit, timeout: timeout)
      return InternalConnection(channel: channel, address: address, sweeper: sweeper)
    } catch {
      throw .broken("\(error)")
    }
  }

  /// `host:port` into its parts (brackets around an IPv6 literal removed).
  static func split(_ address: String) -> (String, Int)? {
    guard let colon = address.lastIndex(of: ":"),
      let port = Int(address[address.index(after: colon)...]), (1...65535).contains(port)
    else { return nil }
    var host = address[..<colon]
    if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
    guard !host.isEmpty else { return nil }
    return (String(host), port)
  }
}

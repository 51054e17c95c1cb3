import Protocol

/// The life of one accepted TCP connection: parse requests (keep-alive, pipelining,
/// `Expect: 100-continue`), route them, write responses in order, and hand the socket over
/// when a request upgrades to WebSocket.
struct HTTPConnection {
  private let channel: SocketChannel
  private let context: GatewayContext
  private let router: Router
  private var buffer = ByteBuffer()
  private var parser: HTTPRequestParser
  private var readable: AsyncStream<Void>.Iterator
  private let deadline: ConnectionDeadline

  init(channel: SocketChannel, context: GatewayContext, router: Router) {
    self.channel = channel
    self.context = context
    self.router = router
    parser = HTTPRequestParser(limits: context.httpLimits)
    readable = channel.readable.makeAsyncIterator()
    deadline = ConnectionDeadline(sweeper: context.sweeper) { [channel] midRequest in
      if midRequest {
        let response = HTTPResponse.error(408, "Request not received in time")
        channel.write(response.encoded(keepAlive: false))
      }
      channel.shutdownAfterFlush()
    }
  }

  /// Serves requests until the peer closes, an error, a timeout, or an upgrade ends; a
  /// WebSocket that asked to go on in a fresh task comes back as a `HandOff`, which owns
  /// the socket from then on.
  mutating func run() async -> sending HandOff? {
    let handOff = await serveRequests()
    deadline.disarm()
    if handOff == nil {
      // Leave the count before the fd closes, so a client that sees the close and
      // reconnects at once is never refused by a stale GATEWAY_MAX_CONNECTIONS count.
      context.connections.remove(channel)
      channel.release()
    }
    return handOff
  }

  private mutating func serveRequests() async -> sending HandOff? {
    while true {
      let output: HTTPRequestParser.Output?
      do {
        output = try parser.next(from: &buffer)
      } catch {
        context.logger.debug(
          "bad request",
          ["peer": channel.peer, "status": "\(error.status)", "reason": error.message])
        context.metrics.badRequests.add(1, ordering: .relaxed)
        if let head = parser.receivedHead {
          await router.rejected(head, status: error.status)
        }
        let response = HTTPResponse.error(error.status, error.message)
        channel.write(response.encoded(keepAlive: false))
        await closeAfterFlush()
        return nil
      }
      switch output {
      case .expectContinue?:
        channel.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        continue
      case .request(let request)?:
        deadline.disarm()
        buffer.discardReadBytes()
        context.connections.setBusy(channel, true)
        switch await serve(request) {
        case .nextRequest:
          context.connections.setBusy(channel, false)
          continue
        case .closed:
          return nil
        case .handOff(let continuation, let connection):
          return HandOff(
            connection: connection, continuation: continuation, connections: context.connections)
        }
      case nil:
        break
      }
      buffer.discardReadBytes()
      context.connections.setBusy(channel, parser.isMidRequest)
      if parser.isMidRequest {
        if !deadline.isArmedMidRequest {
          deadline.arm(at: Clock.monotonicNanoseconds() + context.headerTimeout, midRequest: true)
        }
      } else {
        // A TLS client has GATEWAY_TLS_HANDSHAKE_TIMEOUT_MS to finish its handshake (the
        // channel reports its completion once, as a read of zero bytes); then the idle one.
        let timeout = channel.isHandshaking ? context.tlsHandshakeTimeout : context.idleTimeout
        deadline.arm(at: Clock.monotonicNanoseconds() + timeout, midRequest: false)
      }
      guard await readMore() else { return nil }
    }
  }

  /// What became of the connection after one request.
  private enum Served {
    case nextRequest
    case closed
    case handOff(any WebSocketContinuation, WebSocketConnection)
  }

  /// Routes one request and writes its answer.
  private mutating func serve(_ request: HTTPRequest) async -> Served {
    let keepAlive = request.head.isKeepAlive && !context.isDraining
    let result = await router.route(request, RequestContext(channel: channel))
    switch result {
    case .response(let response):
      let stayOpen = keepAlive && !response.closeConnection
      var bytes = response.encoded(keepAlive: stayOpen)
      // RFC 9110 §9.3.2: a HEAD answer has GET's headers (Content-Length included) and no
      // content; a body here would be read as the start of the next response.
      if request.head.method == "HEAD" { bytes.removeLast(response.body.count) }
      guard channel.write(bytes) == .queued else { return .closed }
      if !stayOpen {
        await closeAfterFlush()
        return .closed
      }
      return .nextRequest
    case .webSocket(let response, let handler):
      guard channel.write(response.encoded(keepAlive: true)) == .queued else { return .closed }
      var connection = WebSocketConnection(
        channel: channel, buffer: buffer, maxMessageBytes: context.config.maxPayloadBytes,
        logger: context.logger)
      buffer = ByteBuffer()
      if let continuation = await handler.run(on: &connection) {
        return .handOff(continuation, connection)
      }
      return .closed
    }
  }

  /// Reads until at least one byte arrived; false at end of stream, error or shutdown.
  private mutating func readMore() async -> Bool {
    while true {
      switch channel.read(into: &buffer) {
      case .bytes:
        return true
      case .wouldBlock:
        guard await readable.next() != nil else { return false }
      case .endOfFile, .failed:
        return false
      }
    }
  }

  private func closeAfterFlush() async {
    channel.shutdownAfterFlush()
    await channel.flush()
  }
}

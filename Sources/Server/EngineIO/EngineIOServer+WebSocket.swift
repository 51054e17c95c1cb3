import Protocol

/// The WebSocket transport: sessions that start on it, and upgrades from polling
/// (protocol.md §1.8, §1.9).
extension EngineIOServer {
  /// Checks the upgrade headers and the origin; the 101 response or a rejection.
  private enum Acceptance {
    case success(HTTPResponse)
    case failure(HTTPResponse)
  }

  private func accept(_ head: HTTPRequestHead) -> Acceptance {
    guard cors.allowsUpgrade(from: head.headers["origin"]) else {
      return .failure(
        HTTPResponse(
          status: 403, headers: HTTPHeaders([("Content-Type", "text/plain")]),
          body: Array("Origin not allowed".utf8), closeConnection: true))
    }
    switch WebSocketHandshake.validate(head) {
    case .success(let key):
      var headers = HTTPHeaders()
      headers.add(name: "Upgrade", value: "websocket")
      headers.add(name: "Connection", value: "Upgrade")
      headers.add(name: "Sec-WebSocket-Accept", value: WebSocketAccept.value(forKey: key))
      return .success(HTTPResponse(status: 101, headers: headers))
    case .failure(let rejection):
      var headers = rejection.headers
      headers.add(name: "Content-Type", value: "text/plain")
      return .failure(
        HTTPResponse(
          status: rejection.status, headers: headers, body: Array(rejection.message.utf8),
          closeConnection: true))
    }
  }

  /// A new session directly on WebSocket: the open packet is the first frame.
  func openWebSocketSession(_ head: HTTPRequestHead, _ requestContext: RequestContext) async
    -> RouteResult
  {
    switch accept(head) {
    case .failure(let response):
      return .response(response)
    case .success(let response):
      let session = makeSession(head, peer: requestContext.peer, webSocket: requestContext.channel)
      let open = Array(("0" + handshakeJSON(sid: session.sid, upgrades: [])).utf8)
      await session.start()
      return .webSocket(
        response, SessionWebSocketHandler(session: session, openPacket: .text(open)))
    }
  }

  /// A probe WebSocket for a polling session.
  func upgrade(
    _ session: ConnectionActor, _ head: HTTPRequestHead, _ requestContext: RequestContext
  ) async
    -> RouteResult
  {
    switch accept(head) {
    case .failure(let response):
      return .response(response)
    case .success(let response):
      // Only one WebSocket per session, and only while it is on polling (protocol.md §1.8).
      guard session.outbox.beginProbe() else {
        return .response(
          HTTPResponse(
            status: 400, headers: HTTPHeaders([("Content-Type", "text/html")]),
            body: Array("Bad request".utf8), closeConnection: true))
      }
      await session.probeAttached(requestContext.channel)
      return .webSocket(response, ProbeWebSocketHandler(session: session))
    }
  }
}

/// Runs a session's WebSocket: every message is an Engine.IO packet for the session.
struct SessionWebSocketHandler: WebSocketHandler {
  let session: ConnectionActor
  /// The open packet, sent as the first frame once the 101 is out.
  let openPacket: OutboundPacket

  /// Sends the open packet and handles the first message (the Socket.IO CONNECT, the
  /// deepest path a session takes), then asks for a fresh task for the rest.
  func run(on connection: inout WebSocketConnection) async -> (any WebSocketContinuation)? {
    await session.emit([openPacket])
    guard let first = await connection.next() else {
      await session.close(.transportClose)
      return nil
    }
    guard await Self.handle(first, session) else { return nil }
    return SessionWebSocketLoop(session: session)
  }

  /// Hands one message to the session as an Engine.IO packet; false once it is closed.
  static func handle(_ message: WebSocketConnection.Incoming, _ session: ConnectionActor) async
    -> Bool
  {
    let packet: EngineIOPacket
    switch message {
    case .binary(let bytes):
      packet = .binary(bytes)
    case .text(let text):
      do {
        packet = try EngineIOPacketDecoder.decode(text: text)
      } catch {
        await session.close(.parseError)
        return false
      }
    }
    return await session.receive([packet])
  }
}

/// A session's WebSocket once it is set up, run by `HandOff` in the socket's own task.
struct SessionWebSocketLoop: WebSocketContinuation {
  let session: ConnectionActor

  func handleAvailable(on connection: inout WebSocketConnection) async -> Bool {
    while true {
      switch connection.poll() {
      case .needsInput:
        return true
      case .closed:
        await session.close(.transportClose)
        return false
      case .message(let message):
        guard await SessionWebSocketHandler.handle(message, session) else { return false }
      }
    }
  }

  func socketEnded() async {
    await session.close(.transportClose)
  }
}

/// The upgrade probe: `2probe` → `3probe`, then `5` moves the session onto this socket.
struct ProbeWebSocketHandler: WebSocketHandler {
  let session: ConnectionActor

  func run(on connection: inout WebSocketConnection) async -> (any WebSocketContinuation)? {
    let outbox = session.outbox
    while let message = await connection.next() {
      guard case .text(let text) = message else { break }
      if text == "2probe" {
        connection.sendText("3probe")
        outbox.releasePendingPoll()
        continue
      }
      guard text == "5" else { break }
      await session.probeEnded()
      switch outbox.completeUpgrade(to: connection.channel) {
      case .queued:
        return SessionWebSocketLoop(session: session)
      case .overLimit:
        await session.close(.slowConsumer)
      case .closed:
        connection.close(code: 1000, reason: "")
      }
      return nil
    }
    // Anything else before `5`, or the probe closing, abandons the upgrade; the session
    // carries on over polling.
    outbox.abortUpgrade()
    await session.probeEnded()
    connection.close(code: 1000, reason: "")
    return nil
  }
}

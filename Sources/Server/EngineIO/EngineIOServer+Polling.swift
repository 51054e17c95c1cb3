import Protocol

/// HTTP long-polling (protocol.md §1.6).
extension EngineIOServer {
  /// The polling handshake: a new session whose open packet is the whole response body.
  func openPollingSession(_ head: HTTPRequestHead, _ requestContext: RequestContext) async
    -> HTTPResponse
  {
    let session = makeSession(head, peer: requestContext.peer, webSocket: nil)
    await session.start()
    let body = Array(("0" + handshakeJSON(sid: session.sid, upgrades: ["websocket"])).utf8)
    return pollingResponse(head, body: body)
  }

  /// A GET: waits for packets (or a noop during an upgrade, or the close packet).
  func poll(_ session: ConnectionActor, _ head: HTTPRequestHead, _ requestContext: RequestContext)
    async
    -> HTTPResponse
  {
    switch await session.outbox.poll(on: requestContext.channel) {
    case .packets(let packets):
      return pollingResponse(head, body: OutboundPacket.payload(packets))
    case .noop:
      return pollingResponse(head, body: OutboundPacket.payload([.noop]))
    case .closed(let packets):
      return pollingResponse(head, body: OutboundPacket.payload(packets + [.close]))
    case .conflict:
      // protocol.md §1.6: a second concurrent GET is an error that closes the session;
      // the waiting GET is then answered with the close packet.
      await session.close(.transportError)
      return HTTPResponse(status: 400, headers: cors.headers(for: head))
    case .aborted:
      await session.close(.transportError)
      return HTTPResponse(status: 400, headers: cors.headers(for: head), closeConnection: true)
    }
  }

  /// A POST: the body's packets, handled in order; `ok` when done.
  func post(_ session: ConnectionActor, _ request: HTTPRequest) async -> HTTPResponse {
    let head = request.head
    if let type = head.headers["content-type"],
      type.lowercased().hasPrefix("application/octet-stream")
    {
      return HTTPResponse(status: 400, headers: cors.headers(for: head))
    }
    guard request.body.count <= context.config.maxPayloadBytes else {
      await session.close(.transportError)
      return HTTPResponse(status: 413, headers: cors.headers(for: head), closeConnection: true)
    }
    let outbox = session.outbox
    guard outbox.beginPost() else {
      await session.close(.transportError)
      return HTTPResponse(status: 400, headers: cors.headers(for: head))
    }
    defer { outbox.endPost() }
    let packets: [EngineIOPacket]
    do {
      packets = try EngineIOPacketDecoder.decodePayload(request.body)
    } catch {
      context.logger.debug("engine.io parse error", ["reason": error.message])
      await session.close(.parseError)
      return HTTPResponse(status: 400, headers: cors.headers(for: head))
    }
    _ = await session.receive(packets)
    var headers = cors.headers(for: head)
    headers.add(name: "Content-Type", value: "text/html")
    headers.add(name: "Cache-Control", value: "no-store")
    return HTTPResponse(status: 200, headers: headers, body: Array("ok".utf8))
  }

  private func pollingResponse(_ head: HTTPRequestHead, body: [UInt8]) -> HTTPResponse {
    var headers = cors.headers(for: head)
    headers.add(name: "Content-Type", value: "text/plain; charset=UTF-8")
    headers.add(name: "Cache-Control", value: "no-store")
    return HTTPResponse(status: 200, headers: headers, body: body)
  }
}

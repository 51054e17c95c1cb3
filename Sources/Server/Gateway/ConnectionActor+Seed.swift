import Auth
import Protocol

/// The seed's behaviour on the main namespace: token check, `connected`, `error`,
/// `message` → `messageReceived`.
extension ConnectionActor {
  /// Verifies the CONNECT's token (or the handshake's `Authorization` header) and either
  /// registers the socket and greets it, or reports `Authentication failed`.
  func authenticate(auth: JSONValue?) async {
    let token = Self.token(from: auth) ?? handshakeToken
    let identity: Identity
    do throws(AuthError) {
      guard let token else {
        throw AuthError(reason: .missingToken, detail: "no token in auth.token or Authorization")
      }
      identity = try context.verifier.verify(token, now: Clock.unixSeconds())
    } catch {
      context.metrics.authFailures.increment(error.reason)
      context.logger.info(
        "authentication failed",
        ["peer": peer, "reason": error.reason.rawValue, "detail": error.detail])
      await rejectAuthentication()
      return
    }
    await join(userID: identity.userID, auth: auth, roomPatterns: Self.roomPatterns(of: identity))
    if mainSocket != nil { tokenAccepted(expiresAt: identity.expiresAt) }
  }

  /// The token's `rooms` claim; the claims are parsed only when they mention it.
  private static func roomPatterns(of identity: Identity) -> RoomPatterns? {
    let needle = Array(#""rooms""#.utf8)
    let claims = identity.claimsJSON
    guard claims.count >= needle.count,
      (0...(claims.count - needle.count)).contains(where: {
        claims[$0..<$0 + needle.count].elementsEqual(needle)
      })
    else { return nil }
    return RoomPatterns(claimsJSON: claims)
  }

  /// The seed's failure: accept the namespace so the client sees the event, emit `error`,
  /// then a server-side DISCONNECT (the client's reason is `io server disconnect`, which
  /// does not reconnect). Or a CONNECT_ERROR when configured.
  private func rejectAuthentication() async {
    let failure = JSONValue.object(JSONObject([("message", .string("Authentication failed"))]))
    switch context.config.authFailure {
    case .error:
      await emit([
        .socketIO(
          SocketIOPacket(
            type: .connect, data: .object(JSONObject([("sid", .string(RandomID.make()))])))),
        .socketIO(SocketIOPacket(type: .event, data: .array([.string("error"), failure]))),
        .socketIO(SocketIOPacket(type: .disconnect)),
      ])
    case .connectError:
      await emit([.socketIO(SocketIOPacket(type: .connectError, data: failure))])
    }
  }

  /// `auth.token`, without a `Bearer ` prefix.
  static func token(from auth: JSONValue?) -> String? {
    guard case .object(let object)? = auth, case .string(let raw)? = object["token"] else {
      return nil
    }
    return BearerToken.strip(raw)
  }

  /// An EVENT from a joined socket.
  func handleEvent(_ assembled: SocketIOAssembledPacket) async {
    let packet = assembled.packet
    guard case .array(let arguments)? = packet.data, case .string(let name)? = arguments.first
    else { return }
    if context.config.conformance, await handleConformanceEvent(name, assembled) { return }
    guard await admitEvent() else { return }
    if name == "refreshToken", packet.namespace == "/" {
      let answer = refreshToken(arguments.dropFirst().first)
      if let ackID = packet.ackID {
        await emit([.socketIO(SocketIOPacket(type: .ack, ackID: ackID, data: .array([answer])))])
      }
      return
    }
    if Rooms.clientEvents.contains(name), packet.namespace == "/", let socket = mainSocket {
      return await roomEvent(
        name, argument: arguments.dropFirst().first, socket, ackID: packet.ackID)
    }
    if Delivery.reportEvents.contains(name), packet.namespace == "/", let socket = mainSocket {
      let answer = await context.delivery.report(
        name, argument: arguments.dropFirst().first, userID: socket.userID)
      if let ackID = packet.ackID {
        await emit([.socketIO(SocketIOPacket(type: .ack, ackID: ackID, data: .array([answer])))])
      }
      return
    }
    if let webhooks = context.webhooks, packet.namespace == "/", let socket = mainSocket,
      webhooks.forwardsClientEvent(name)
    {
      let answer = await webhooks.forward(
        name, arguments: Array(arguments.dropFirst()), attachments: assembled.attachments,
        userID: socket.userID, socketID: socket.socketID, answerNow: packet.ackID != nil)
      if name != "message" {
        if let ackID = packet.ackID {
          await emit([.socketIO(SocketIOPacket(type: .ack, ackID: ackID, data: .array([answer])))])
        }
        return
      }
    }
    guard name == "message", packet.namespace == "/" else {
      context.logger.debug("event ignored", ["event": name])
      return
    }
    await answerMessage(arguments: arguments.dropFirst(), assembled: assembled)
  }

  /// Applies the socket's event budget: false drops the event (the client hears of it once
  /// per stretch over the budget; ten seconds over it ends the session).
  private func admitEvent() async -> Bool {
    let rate = context.config.clientEventsPerSecond
    guard rate > 0 else { return true }
    let burst = context.config.clientEventsBurst
    let now = Clock.monotonicNanoseconds()
    var limiter = eventLimiter ?? ClientEventLimiter(burst: burst, now: now)
    let verdict = limiter.admit(rate: rate, burst: burst, now: now)
    eventLimiter = limiter
    switch verdict {
    case .allow:
      return true
    case .drop(let notify):
      context.metrics.rateLimitedEvents.add(1, ordering: .relaxed)
      if notify {
        let error = JSONValue.object(JSONObject([("message", .string("Rate limit exceeded"))]))
        await emit([
          .socketIO(SocketIOPacket(type: .event, data: .array([.string("error"), error])))
        ])
      }
      return false
    case .close:
      context.metrics.rateLimitedEvents.add(1, ordering: .relaxed)
      await close(.forcedServerClose)
      return false
    }
  }

  /// `join`, `leave` or `typing`, answered on the ack callback if there is one.
  private func roomEvent(
    _ name: String, argument: JSONValue?, _ socket: JoinedSocket, ackID: UInt64?
  ) async {
    var typingAllowed = true
    if name == "typing" {
      let rate = context.config.typingPerSecond
      let now = Clock.monotonicNanoseconds()
      var bucket = typingBucket ?? TokenBucket(burst: rate, now: now)
      typingAllowed = bucket.take(rate: rate, burst: rate, now: now)
      typingBucket = bucket
    }
    let answer = await context.rooms.clientEvent(
      name, argument: argument,
      from: Rooms.Sender(
        userID: socket.userID, patterns: socket.roomPatterns, typingAllowed: typingAllowed),
      registry: context.registry, metrics: context.metrics)
    if let ackID {
      await emit([.socketIO(SocketIOPacket(type: .ack, ackID: ackID, data: .array([answer])))])
    }
  }

  /// `message` → `messageReceived` to the sender, and the same object to its ack callback.
  private func answerMessage(
    arguments: ArraySlice<JSONValue>, assembled: SocketIOAssembledPacket
  ) async {
    var received: JSONValue?
    switch arguments.first {
    case .object(let object)?: received = object["message"]
    case let value?: received = value
    case nil: received = nil
    }
    let now = Clock.unixMilliseconds()
    guard assembled.packet.type.isBinary else {
      // Text: the argument is written once, straight to bytes, for the event and the ack.
      let argument = MessageReceived.json(received: received, unixMilliseconds: now)
      var packets = [MessageReceived.eventPacket(argumentJSON: argument)]
      if let ackID = assembled.packet.ackID {
        packets.append(MessageReceived.ackPacket(id: ackID, argumentJSON: argument))
      }
      return await emit(packets)
    }
    // Binary: the received placeholders are renumbered against the attachments, so the reply
    // goes back as a binary event. `{"_placeholder":true,...}` in a text packet is plain data
    // that goes back as it came (the JS parser reconstructs binary packets only).
    let reply = MessageReceived.value(received: received, unixMilliseconds: now)
    let event: (JSONValue, [[UInt8]])
    do throws(SocketIOParseError) {
      event = try SocketIOPlaceholders.renumber(
        .array([.string("messageReceived"), reply]), attachments: assembled.attachments)
    } catch {
      return await close(.parseError)
    }
    var packets = Self.packets(
      type: event.1.isEmpty ? .event : .binaryEvent, data: event.0, attachments: event.1, ackID: nil
    )
    if let ackID = assembled.packet.ackID, case .array(let items) = event.0 {
      let ack = JSONValue.array(Array(items.dropFirst()))
      packets += Self.packets(
        type: event.1.isEmpty ? .ack : .binaryAck, data: ack, attachments: event.1, ackID: ackID)
    }
    await emit(packets)
  }

  /// A Socket.IO packet on `/` and its attachments as Engine.IO packets, in wire order.
  static func packets(
    type: SocketIOPacketType, data: JSONValue, attachments: [[UInt8]], ackID: UInt64?,
    namespace: String = "/"
  ) -> [OutboundPacket] {
    var packet = SocketIOPacket(type: type, namespace: namespace, ackID: ackID, data: data)
    packet.attachmentCount = attachments.count
    return [.socketIO(packet)] + attachments.map { .binary($0) }
  }
}

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
    await join(
      userID: identity.userID, auth: auth,
      roomPatterns: RoomPatterns(claimsJSON: identity.claimsJSON))
    if mainSocket != nil { tokenAccepted(expiresAt: identity.expiresAt) }
  }

  /// The seed's failure: accept the namespace so the client sees the event, emit `error`,
  /// then a server-side DISCONNECT (the client's reason is `io server disconnect`, which
  /// does not reconnect). Or a CONNECT_ERROR when configured.
  private func rejectAuthentication() async {
    switch context.config.authFailure {
    case .error:
      await emit([
        ServerPackets.connectReply(socketID: RandomID.make()),
        ServerPackets.error("Authentication failed"), ServerPackets.disconnect,
      ])
    case .connectError:
      let failure = JSONValue.object(JSONObject([("message", .string("Authentication failed"))]))
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
      return await acknowledge(packet.ackID, refreshToken(arguments.dropFirst().first))
    }
    if packet.namespace == "/", let socket = mainSocket,
      let answer = await ClientEvents.answer(
        name, arguments: arguments.dropFirst(), attachments: assembled.attachments,
        socket: socket, typingAllowed: name != "typing" || takeTypingToken(),
        answerNow: packet.ackID != nil, context: context)
    {
      // `message` forwarded to the backend is still the seed's to answer.
      guard name == "message" else { return await acknowledge(packet.ackID, answer) }
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

  /// Writes `answer` to the event's ack callback, if it has one.
  private func acknowledge(_ ackID: UInt64?, _ answer: JSONValue) async {
    guard let ackID else { return }
    await emit([ServerPackets.ack(ackID, answer)])
  }

  /// Takes one token of this socket's typing budget (`GATEWAY_TYPING_PER_S`).
  private func takeTypingToken() -> Bool {
    let rate = context.config.typingPerSecond
    let now = Clock.monotonicNanoseconds()
    var bucket = typingBucket ?? TokenBucket(burst: rate, now: now)
    defer { typingBucket = bucket }
    return bucket.take(rate: rate, burst: rate, now: now)
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

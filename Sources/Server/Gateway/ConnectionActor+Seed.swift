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
    let socketID = RandomID.make()
    let socket = JoinedSocket(userID: identity.userID, socketID: socketID)
    mainSocket = socket
    timers.namespaceJoined()
    let connected = JSONValue.object(
      JSONObject([
        ("message", .string("Successfully connected to WebSocket")),
        ("userId", .string(identity.userID)),
        ("socketId", .string(socketID)),
      ]))
    // The JS server's order: acknowledge the CONNECT, register, then greet. A push sent the
    // moment the client sees `connected` then always finds the socket registered.
    await emit([
      .socketIO(
        SocketIOPacket(type: .connect, data: .object(JSONObject([("sid", .string(socketID))]))))
    ])
    guard !isClosed else { return }
    await context.registry.register(
      SocketTarget(
        userID: identity.userID, socketID: socketID, outbox: outbox, connection: self,
        connectedAt: Clock.unixMilliseconds()))
    // Re-check after the await: a close that ran meanwhile could not unregister us yet.
    if isClosed || mainSocket?.socketID != socketID {
      await context.registry.unregister(userID: identity.userID, socketID: socketID)
      return
    }
    context.metrics.socketConnects.add(1, ordering: .relaxed)
    await emit([
      .socketIO(SocketIOPacket(type: .event, data: .array([.string("connected"), connected])))
    ])
    context.logger.info(
      "connected",
      [
        "user": identity.userID, "socket": socketID,
        "transport": outbox.transport == .polling ? "polling" : "websocket", "peer": peer,
      ])
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
    guard name == "message", packet.namespace == "/" else {
      context.logger.debug("event ignored", ["event": name])
      return
    }
    await answerMessage(arguments: arguments.dropFirst(), assembled: assembled)
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

/// `Bearer <token>` handling shared by the handshake header, `auth.token` and the REST API.
///
/// Works on the contiguous UTF-8 bytes: `count`, `prefix` and `lowercased()` on Substrings
/// walk Characters and cost ~10,000 instructions per REST call, and even UTF8View index
/// walking ~4,500 (callgrind). Only ASCII is compared, so the result is the same.
enum BearerToken {
  /// The token without a leading `Bearer ` (any case), trimmed; nil when empty.
  static func strip(_ raw: String) -> String? {
    token(in: raw, requirePrefix: false)
  }

  /// The token of an `Authorization: Bearer …` header value; nil for other schemes.
  static func fromAuthorizationHeader(_ value: String?) -> String? {
    guard let value else { return nil }
    return token(in: value, requirePrefix: true)
  }

  private static let prefix = Array("bearer ".utf8)

  private static func token(in text: String, requirePrefix: Bool) -> String? {
    var text = text
    return text.withUTF8 { bytes -> String? in
      var (start, end) = trimmingSpaces(bytes, from: 0, to: bytes.count)
      if hasBearerPrefix(bytes, from: start, to: end) {
        (start, end) = trimmingSpaces(bytes, from: start + prefix.count, to: end)
      } else if requirePrefix {
        return nil
      }
      guard start < end else { return nil }
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
  }

  /// Whether `bytes[start..<end]` starts with `bearer ` (ASCII letters in any case) and has
  /// more after it.
  private static func hasBearerPrefix(
    _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int
  )
    -> Bool
  {
    guard end - start > prefix.count else { return false }
    for offset in 0..<prefix.count {
      let byte = bytes[start + offset]
      guard (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) == prefix[offset] else {
        return false
      }
    }
    return true
  }

  /// The bounds of `bytes[start..<end]` without leading and trailing spaces.
  private static func trimmingSpaces(
    _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int
  )
    -> (Int, Int)
  {
    var low = start
    var high = end
    while low < high, bytes[low] == UInt8(ascii: " ") { low += 1 }
    while high > low, bytes[high - 1] == UInt8(ascii: " ") { high -= 1 }
    return (low, high)
  }
}

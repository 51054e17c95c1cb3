import Protocol

extension ConnectionActor {
  /// An Engine.IO text message: a Socket.IO packet (or, in echo mode, sent straight back).
  ///
  /// Not inlined into `receive`: an async function's frame is the sum of what it inlines,
  /// and `receive` runs for every pong of an idle socket, whose task keeps the allocator
  /// slabs of its deepest call (see `WebSocketContinuation`).
  @inline(never)
  func handleMessage(_ text: String) async {
    if application == .engineEcho {
      await emit([.text([UInt8(ascii: "4")] + Array(text.utf8))])
      return
    }
    do throws(SocketIOParseError) {
      // protocol.md §2.5: a text packet while attachments are awaited is an error.
      guard pendingBinary == nil else {
        throw SocketIOParseError(message: "text packet while binary attachments were expected")
      }
      let packet = try SocketIOPacketDecoder.decode(text, limits: context.jsonLimits)
      var assembler = SocketIOBinaryAssembler()
      if let assembled = try assembler.receive(header: packet) {
        await dispatch(assembled)
      } else {
        pendingBinary = PendingBinary(assembler)
      }
    } catch {
      context.logger.debug("socket.io parse error", ["peer": peer, "reason": error.message])
      await close(.parseError)
    }
  }

  /// An Engine.IO binary message: the next attachment of a binary packet.
  @inline(never)
  func handleBinary(_ bytes: [UInt8]) async {
    if application == .engineEcho {
      await emit([.binary(bytes)])
      return
    }
    do throws(SocketIOParseError) {
      guard let pending = pendingBinary else {
        throw SocketIOParseError(message: "got binary data when not reconstructing a packet")
      }
      if let assembled = try pending.assembler.receive(attachment: bytes) {
        pendingBinary = nil
        await dispatch(assembled)
      }
    } catch {
      context.logger.debug("socket.io parse error", ["peer": peer, "reason": error.message])
      await close(.parseError)
    }
  }

  /// Acts on one complete Socket.IO packet (protocol.md §2.3–2.6).
  private func dispatch(_ assembled: SocketIOAssembledPacket) async {
    let packet = assembled.packet
    switch packet.type {
    case .connect:
      await connect(namespace: packet.namespace, auth: packet.data)
    case .disconnect:
      await leave(namespace: packet.namespace)
    case .event, .binaryEvent:
      guard isJoined(packet.namespace) else { return await close(.parseError) }
      context.metrics.eventsReceived.add(1, ordering: .relaxed)
      await handleEvent(assembled)
    case .ack, .binaryAck:
      guard isJoined(packet.namespace) else { return await close(.parseError) }
    case .connectError:
      await close(.parseError)
    }
  }

  /// Whether the client has a socket on `namespace`.
  func isJoined(_ namespace: String) -> Bool {
    (namespace == "/" && mainSocket != nil) || otherNamespaces[namespace] != nil
  }

  private func connect(namespace: String, auth: JSONValue?) async {
    guard !isJoined(namespace) else { return await close(.parseError) }
    if context.config.conformance, Self.conformanceNamespaces.contains(namespace) {
      await conformanceConnect(namespace: namespace, auth: auth)
    } else if namespace == "/" {
      await authenticate(auth: auth)
    } else {
      await emit([
        .socketIO(
          SocketIOPacket(
            type: .connectError, namespace: namespace,
            data: .object(JSONObject([("message", .string("Invalid namespace"))]))))
      ])
    }
  }

  private func leave(namespace: String) async {
    if namespace == "/", otherNamespaces[namespace] == nil {
      guard let socket = mainSocket else { return }
      mainSocket = nil
      await leaveRegistry(socket, reason: "client namespace disconnect")
    } else {
      otherNamespaces[namespace] = nil
    }
  }
}

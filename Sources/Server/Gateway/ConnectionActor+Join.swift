import Auth
import Protocol

/// Joining `/`: registration, then recovery or the offline queue (durable delivery).
extension ConnectionActor {
  /// Registers the socket, then writes what it missed (a recovery's entries before the
  /// CONNECT reply, or the offline queue after `connected`), then lets live pushes through.
  ///
  /// The socket registers before the store is read, and its `DeliveryCursor` holds live
  /// pushes until the replay is written: a push that commits during the read is then either
  /// in the read or held, and the cursor drops the copy that is in both.
  func join(userID: String, auth: JSONValue?, roomPatterns: RoomPatterns?) async {
    let delivery = context.delivery
    var recovery = delivery.recoveryRequest(auth: auth, userID: userID)
    if let request = recovery, await !delivery.canRecover(request, userID: userID) {
      recovery = nil
    }
    guard !isClosed else { return }
    let socketID = recovery?.id.socketID ?? RandomID.make()
    if recovery != nil { await delivery.evict(userID: userID, socketID: socketID) }
    let cursor = DeliveryCursor(outbox: outbox)
    mainSocket = JoinedSocket(userID: userID, socketID: socketID, roomPatterns: roomPatterns)
    timers.namespaceJoined()
    let registration = await context.registry.register(
      SocketTarget(
        userID: userID, socketID: socketID, outbox: outbox, cursor: cursor, connection: self,
        connectedAt: Clock.unixMilliseconds()))
    if registration == .refused {
      mainSocket = nil
      context.metrics.socketsRefused.add(1, ordering: .relaxed)
      context.logger.info("too many sockets", ["user": userID, "peer": peer])
      return await emit([
        ServerPackets.connectReply(socketID: socketID), ServerPackets.error("Too many connections"),
        ServerPackets.disconnect,
      ])
    }
    // Re-check after the await: a close that ran meanwhile could not unregister us yet.
    if isClosed || mainSocket?.socketID != socketID {
      await context.registry.unregister(userID: userID, socketID: socketID, connection: self)
      return
    }
    // Cluster mode: once Redis routes this user's entries here, a push either is in the
    // read below or arrives through pub/sub (and the cursor holds it until the replay).
    await context.cluster?.routes.written()
    guard let read = await delivery.read(for: recovery, userID: userID, logger: context.logger)
    else {
      // The log changed between the first look and the read: no partial recovery; the
      // client reconnects and gets a fresh socket.
      return await close(.transportClose)
    }
    guard !isClosed else { return }
    context.metrics.socketConnects.add(1, ordering: .relaxed)
    let pid =
      recovery?.pid
      ?? RecoveryID(socketID: socketID, position: read.head).encoded(
        for: userID, with: delivery.recoveryAuthenticator)
    let reply = ServerPackets.connectReply(socketID: socketID, pid: pid)
    let greeting = ServerPackets.connected(userID: userID, socketID: socketID)
    let missed = Delivery.packets(for: read.entries)
    // The JS server writes a recovery's missed events before the CONNECT reply (the
    // client buffers them); a fresh socket's queue follows `connected`.
    let packets = read.recovered ? missed + [reply, greeting] : [reply, greeting] + missed
    if cursor.finishReplay(head: read.head, packets: packets) == .overLimit {
      context.metrics.slowConsumers.add(1, ordering: .relaxed)
      return await close(.slowConsumer)
    }
    delivery.markSent(read.entries, userID: userID)
    context.logger.info(
      "connected",
      [
        "user": userID, "socket": socketID,
        "transport": outbox.transport == .polling ? "polling" : "websocket", "peer": peer,
        "recovered": read.recovered ? "true" : "false", "replayed": "\(read.entries.count)",
      ])
  }
}

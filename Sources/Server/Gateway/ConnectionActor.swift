import Auth
import Protocol

/// One client connection: an Engine.IO session and the Socket.IO socket(s) on it.
///
/// Inbound packets arrive from whichever task carries the transport (a polling POST, or the
/// WebSocket's read loop) and are handled here one at a time, in order. Outbound packets go
/// to `outbox`, which other tasks (REST pushes) use directly without hopping onto this actor.
/// Heartbeats and timeouts come from the process-wide `DeadlineSweeper`.
actor ConnectionActor: DeadlineTarget {
  /// The Engine.IO session id (secret: it authorizes polling requests).
  nonisolated let sid: String
  /// Where outgoing packets go.
  nonisolated let outbox: SessionOutbox
  /// The peer address of the handshake request, for logs.
  nonisolated let peer: String
  let context: GatewayContext
  let application: SessionApplication
  /// A bearer token from the handshake request's `Authorization` header, if any.
  let handshakeToken: String?
  var timers: SessionTimers
  private var scheduledAt: Int64?
  private(set) var isClosed = false
  /// The socket on the main namespace, once authenticated.
  var mainSocket: JoinedSocket?
  /// Sockets on other namespaces (conformance mode only).
  var otherNamespaces: [String: String] = [:]
  /// A binary packet waiting for its attachments; nil otherwise. Boxed: the assembler is 96
  /// bytes, and almost every session is idle between packets.
  var pendingBinary: PendingBinary?

  /// Holds a `SocketIOBinaryAssembler` while its attachments arrive.
  final class PendingBinary {
    var assembler: SocketIOBinaryAssembler
    init(_ assembler: SocketIOBinaryAssembler) { self.assembler = assembler }
  }

  /// A user's socket on `/`.
  struct JoinedSocket: Sendable {
    var userID: String
    var socketID: String
    /// The token's `rooms` claim (nil without one).
    var roomPatterns: RoomPatterns? = nil
  }

  /// This socket's typing budget, made on its first `typing` event.
  var typingBucket: TokenBucket?
  /// This socket's event budget, made on its first event.
  var eventLimiter: ClientEventLimiter?

  init(
    sid: String, outbox: SessionOutbox, peer: String, context: GatewayContext,
    application: SessionApplication, handshakeToken: String?
  ) {
    self.sid = sid
    self.outbox = outbox
    self.peer = peer
    self.context = context
    self.application = application
    self.handshakeToken = handshakeToken
    let config = context.config
    timers = SessionTimers(
      now: Clock.monotonicNanoseconds(),
      pingInterval: Int64(config.pingIntervalMilliseconds) * 1_000_000,
      pingTimeout: Int64(config.pingTimeoutMilliseconds) * 1_000_000,
      connectTimeout: application == .socketIO
        ? Int64(config.connectTimeoutMilliseconds) * 1_000_000 : nil)
  }

  /// Starts the session's timers.
  func start() {
    scheduleTimers()
  }

  func deadlineReached(now: Int64) async -> Int64? {
    scheduledAt = nil
    guard !isClosed else { return nil }
    for action in timers.tick(now: now) {
      switch action {
      case .sendPing:
        await emit([.ping])
      case .close(.pingTimeout):
        await close(.pingTimeout)
      case .close(.connectTimeout):
        await close(.forcedServerClose)
      case .close(.tokenExpired):
        await endSocket(message: "Token expired", reason: nil, logReason: "token expired")
      case .warnTokenExpiry(let expiresAt):
        await warnTokenExpiry(at: expiresAt)
      case .abortUpgrade:
        outbox.abortUpgrade()
        probe?.shutdown()
        probe = nil
      }
    }
    guard !isClosed else { return nil }
    let next = timers.nextDeadline
    scheduledAt = next
    return next
  }

  /// The WebSocket attached as an upgrade probe, until `5` or failure.
  private var probe: SocketChannel?

  /// A probe WebSocket attached; it has the upgrade timeout to finish.
  func probeAttached(_ channel: SocketChannel) {
    probe = channel
    timers.upgradeStarted(
      now: Clock.monotonicNanoseconds(),
      timeout: Int64(context.config.upgradeTimeoutMilliseconds) * 1_000_000)
    scheduleTimers()
  }

  /// The probe finished (upgraded or abandoned).
  func probeEnded() {
    probe = nil
    timers.upgradeEnded()
  }

  func scheduleTimers() {
    let next = timers.nextDeadline
    if let scheduledAt, scheduledAt <= next { return }
    scheduledAt = next
    context.sweeper.schedule(self, at: next)
  }

  /// Handles packets from the client in order; false once the session is closed.
  func receive(_ packets: [EngineIOPacket]) async -> Bool {
    for packet in packets {
      guard !isClosed else { return false }
      switch packet {
      case .text(.pong, _):
        timers.pongReceived(now: Clock.monotonicNanoseconds())
        scheduleTimers()
      case .text(.message, let text):
        await handleMessage(text)
      case .binary(let bytes):
        await handleBinary(bytes)
      case .text(.close, _):
        await close(.transportClose)
      case .text(.noop, _), .text(.upgrade, _):
        continue
      case .text(.open, _), .text(.ping, _):
        // protocol.md §1.2: a v4 client never sends these outside the upgrade probe.
        await close(.parseError)
      }
    }
    return !isClosed
  }

  /// Queues packets; a client over its outbound limit is disconnected.
  func emit(_ packets: [OutboundPacket]) async {
    if outbox.send(packets) == .overLimit {
      context.metrics.slowConsumers.add(1, ordering: .relaxed)
      await close(.slowConsumer)
    }
  }

  /// Ends the session exactly once: output closed, session forgotten, socket unregistered.
  @inline(never)
  func close(_ reason: CloseReason) async {
    guard !isClosed else { return }
    isClosed = true
    outbox.close(
      webSocketCode: reason == .serverShuttingDown ? 1001 : 1000,
      byClient: reason == .transportClose)
    probe?.shutdown()
    context.sessions.remove(sid: sid)
    if let socket = mainSocket {
      mainSocket = nil
      await leaveRegistry(socket, reason: reason.rawValue)
    }
    context.logger.debug(
      "session closed", ["sid": String(sid.prefix(4)) + "…", "reason": reason.rawValue])
  }

  func leaveRegistry(_ socket: JoinedSocket, reason: String) async {
    if await context.registry.unregister(
      userID: socket.userID, socketID: socket.socketID, connection: self)
    {
      context.metrics.socketDisconnects.increment(reason)
      context.logger.info(
        "disconnected", ["user": socket.userID, "socket": socket.socketID, "reason": reason])
    }
  }
}

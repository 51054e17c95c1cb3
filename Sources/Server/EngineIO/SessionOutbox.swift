import Protocol
import Synchronization

/// Where a session's outgoing packets go, whatever its transport is at the moment.
///
/// A `Sendable` handle: the registry hands it to REST handlers, which enqueue pushes here
/// without awaiting the session's actor. On polling, packets wait in a bounded queue until
/// a GET takes them (a GET that is already waiting is resumed at once). On WebSocket, they
/// are framed and queued on the socket. During an upgrade they wait in the queue and are
/// flushed, in order, onto the WebSocket when the client sends `5`. Every transition happens
/// under one lock, so nothing is lost, duplicated or reordered across an upgrade.
final class SessionOutbox: Sendable {
  /// What a waiting polling GET gets.
  enum PollOutcome: Sendable, Equatable {
    /// Queued packets, to answer with.
    case packets([OutboundPacket])
    /// Nothing to say, but the GET must be released (upgrade in progress).
    case noop
    /// The session ended; answer with the close packet (after `packets`, if any).
    case closed([OutboundPacket])
    /// Another GET was already waiting: a protocol error that closes the session.
    case conflict
    /// The client hung up while the GET was waiting.
    case aborted
  }

  /// What `send` did.
  enum SendOutcome: Sendable, Equatable {
    case queued, overLimit, closed
  }

  /// The transport the session is on.
  enum Transport: Sendable, Equatable {
    case polling
    case websocket
  }

  private struct State {
    var webSocket: SocketChannel?
    var probeAttached = false
    var upgrading = false
    var queue: [OutboundPacket] = []
    var queuedBytes = 0
    var pollWaiter: CheckedContinuation<PollOutcome, Never>?
    /// The channel of the GET in `pollWaiter`, so a hang-up aborts only its own GET.
    var pollChannel: ObjectIdentifier?
    var postInFlight = false
    var closed = false
  }

  /// The Engine.IO session id (secret).
  let sid: String
  private let state: Mutex<State>
  private let limit: Int

  /// An outbox for a session starting on polling, or on `webSocket` when given.
  init(sid: String, webSocket: SocketChannel?, limit: Int) {
    self.sid = sid
    self.limit = limit
    var initial = State()
    initial.webSocket = webSocket
    state = Mutex(initial)
  }

  /// The current transport.
  var transport: Transport { state.withLock { $0.webSocket == nil ? .polling : .websocket } }

  /// Whether the session ended (nothing sent here goes out any more).
  var isClosed: Bool { state.withLock { $0.closed } }

  /// Whether a polling GET is waiting for packets.
  var isPollWaiting: Bool { state.withLock { $0.pollWaiter != nil } }

  /// Whether a probe WebSocket may attach: on polling and not already upgrading.
  func beginProbe() -> Bool {
    state.withLock { state in
      guard !state.closed, state.webSocket == nil, !state.probeAttached else { return false }
      state.probeAttached = true
      return true
    }
  }

  /// The probe answered `3probe`: release any waiting GET with a noop so the client can
  /// pause polling.
  func releasePendingPoll() {
    let waiter = state.withLock { state -> CheckedContinuation<PollOutcome, Never>? in
      state.upgrading = true
      defer { state.pollWaiter = nil }
      return state.pollWaiter
    }
    waiter?.resume(returning: .noop)
  }

  /// The client sent `5`: from now on packets go to `channel`; queued ones are flushed first.
  func completeUpgrade(to channel: SocketChannel) -> SendOutcome {
    let (outcome, waiter) = state.withLock {
      state -> (SendOutcome, CheckedContinuation<PollOutcome, Never>?) in
      guard !state.closed else { return (.closed, nil) }
      state.upgrading = false
      state.probeAttached = false
      state.webSocket = channel
      let queued = state.queue
      state.queue.removeAll()
      state.queuedBytes = 0
      let waiter = state.pollWaiter
      state.pollWaiter = nil
      return (queued.isEmpty ? .queued : Self.write(queued, to: channel), waiter)
    }
    waiter?.resume(returning: .noop)
    return outcome
  }

  /// The probe failed or timed out: stay on polling.
  func abortUpgrade() {
    state.withLock { state in
      state.upgrading = false
      state.probeAttached = false
    }
  }

  /// Queues packets in order; `.overLimit` means the client is not keeping up (the caller
  /// closes the session).
  @discardableResult
  func send(_ packets: [OutboundPacket]) -> SendOutcome {
    let (outcome, waiter, drained) = state.withLock {
      state -> (SendOutcome, CheckedContinuation<PollOutcome, Never>?, [OutboundPacket]) in
      guard !state.closed else { return (.closed, nil, []) }
      if let channel = state.webSocket {
        return (Self.write(packets, to: channel), nil, [])
      }
      let bytes = packets.reduce(0) { $0 + $1.byteCount }
      guard state.queuedBytes + bytes <= limit else { return (.overLimit, nil, []) }
      state.queue.append(contentsOf: packets)
      state.queuedBytes += bytes
      guard let waiter = state.pollWaiter else { return (.queued, nil, []) }
      state.pollWaiter = nil
      let drained = state.queue
      state.queue.removeAll()
      state.queuedBytes = 0
      return (.queued, waiter, drained)
    }
    waiter?.resume(returning: .packets(drained))
    return outcome
  }

  /// Queues one packet; see `send(_:)`.
  @discardableResult
  func send(_ packet: OutboundPacket) -> SendOutcome {
    send([packet])
  }

  /// Waits for packets for a polling GET on `channel`; a client hang-up ends the wait.
  ///
  /// Hang-up detection is armed only once the GET is parked, so a hang-up seen before (the
  /// client sent the request and closed) or while it parks still aborts this very GET, and
  /// never one that a later request parked.
  func poll(on channel: SocketChannel) async -> PollOutcome {
    let id = ObjectIdentifier(channel)
    let outcome = await withCheckedContinuation { continuation in
      let immediate = state.withLock { state -> PollOutcome? in
        if state.closed { return .closed(Self.take(&state)) }
        if !state.queue.isEmpty { return .packets(Self.take(&state)) }
        if state.upgrading || state.webSocket != nil { return .noop }
        if state.pollWaiter != nil { return .conflict }
        state.pollWaiter = continuation
        state.pollChannel = id
        return nil
      }
      if let immediate {
        continuation.resume(returning: immediate)
        return
      }
      let watching = channel.observeHangup { [weak self] in self?.abortPoll(on: id) }
      if !watching { abortPoll(on: id) }
    }
    channel.clearHangupObserver()
    return outcome
  }

  /// Ends the GET parked on the channel `id` with `.aborted`, if it is still waiting.
  private func abortPoll(on id: ObjectIdentifier) {
    let waiter = state.withLock { state -> CheckedContinuation<PollOutcome, Never>? in
      guard state.pollChannel == id, let waiter = state.pollWaiter else { return nil }
      state.pollWaiter = nil
      return waiter
    }
    waiter?.resume(returning: .aborted)
  }

  /// Marks a POST as in flight; false when one already is (a protocol error).
  func beginPost() -> Bool {
    state.withLock { state in
      guard !state.postInFlight else { return false }
      state.postInFlight = true
      return true
    }
  }

  /// The POST finished.
  func endPost() {
    state.withLock { $0.postInFlight = false }
  }

  /// Ends the session's output: a waiting GET gets what is queued plus the close packet;
  /// a WebSocket gets its queued bytes, then a close frame, then is shut down.
  /// `byClient`: the client sent the close packet itself, so a waiting GET is released with
  /// a noop rather than told about the close (protocol.md §1.6).
  func close(webSocketCode: UInt16 = 1000, byClient: Bool = false) {
    let (waiter, remaining, channel) = state.withLock {
      state -> (CheckedContinuation<PollOutcome, Never>?, [OutboundPacket], SocketChannel?) in
      guard !state.closed else { return (nil, [], nil) }
      state.closed = true
      let waiter = state.pollWaiter
      state.pollWaiter = nil
      return (waiter, waiter == nil ? [] : Self.take(&state), state.webSocket)
    }
    waiter?.resume(returning: byClient ? .noop : .closed(remaining))
    if let channel {
      var frame: [UInt8] = []
      WebSocketFrameEncoder.encodeClose(code: webSocketCode, reason: "", into: &frame)
      channel.write(frame)
      channel.shutdownAfterFlush()
    }
  }

  private static func take(_ state: inout State) -> [OutboundPacket] {
    defer {
      state.queue.removeAll()
      state.queuedBytes = 0
    }
    return state.queue
  }

  private static func write(_ packets: [OutboundPacket], to channel: SocketChannel) -> SendOutcome {
    var chunks: [[UInt8]] = []
    chunks.reserveCapacity(packets.count * 2)
    for packet in packets { packet.appendFrame(to: &chunks) }
    switch channel.write(contentsOf: chunks) {
    case .queued: return .queued
    case .overLimit: return .overLimit
    case .closed: return .closed
    }
  }
}

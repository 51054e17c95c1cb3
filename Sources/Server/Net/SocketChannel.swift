import CSystem
import Glibc
import Protocol
import Synchronization

/// What `SocketChannel.write` did with the bytes it was given.
enum WriteOutcome: Sendable, Equatable {
  /// Written or queued; they will go out in order.
  case queued
  /// Queueing them would pass the outbound limit; nothing was queued.
  case overLimit
  /// The channel is closed; nothing was queued.
  case closed
}

/// What one `SocketChannel.read(into:)` call found.
enum ReadOutcome: Sendable, Equatable {
  /// This many bytes were appended; more may be waiting. Zero once on a TLS connection,
  /// when its handshake completed without application data.
  case bytes(Int)
  /// Nothing more to read now; await the readable stream.
  case wouldBlock
  /// The peer closed its side, or the channel was shut down.
  case endOfFile
  /// The connection failed (reset, timeout).
  case failed(Int32)
}

/// A connected non-blocking socket bridged into Swift Concurrency.
///
/// Readiness, not bytes, crosses from the loop thread: `readable` is an
/// `AsyncStream<Void>` with `.bufferingNewest(1)`, so edges coalesce, an edge that lands
/// between `EAGAIN` and the next `await` is already buffered, and the stream cannot grow.
/// Writes go into a bounded queue of shared byte arrays drained with `sendmsg`; whoever
/// enqueues writes at once when the socket is writable, and the loop thread drains the rest
/// when `EPOLLOUT` says there is room again.
///
/// Ownership: one task (the connection's) reads and eventually calls `release()`, the only
/// place the fd is closed. Any task may write or call `shutdown()`.
final class SocketChannel: EventLoopHandler, Sendable {
  /// The socket's file descriptor; valid until `release()`.
  let fd: Int32
  /// Peer address for logs, e.g. `127.0.0.1:53122`.
  let peer: String
  /// One element per readiness edge (readable, hang-up or error); finished on shutdown.
  let readable: AsyncStream<Void>
  private let readableContinuation: AsyncStream<Void>.Continuation
  private let state: Mutex<State>
  /// True from the moment a drain starts sending until the queue is empty again; it is also
  /// true whenever `state.writable` is false (set before the `sendmsg` that may hit EAGAIN).
  /// Lets `handleEvents` skip the lock for the EPOLLOUT bit that epoll reports alongside
  /// every EPOLLIN: taking it there contended with writers holding it across `sendmsg`
  /// (callgrind: ~9,500 instructions of lock spinning per connect/disconnect cycle).
  private let drainPending = Atomic<Bool>(false)
  /// False after a read that came back short (the receive queue was empty then) until the
  /// next readiness edge: `read(into:)` then answers `.wouldBlock` without the `recv` that
  /// would only say EAGAIN. Edge-triggered epoll reports data that arrives after the short
  /// read as a new edge, which sets this again before it is yielded to `readable`.
  private let readArmed = Atomic<Bool>(true)
  /// Set for good once epoll reported a hang-up or error. A FIN that arrived with the last
  /// data is not reported by the `recv` that returns the data, and its edge is already
  /// spent, so after a hang-up every read asks the kernel (and soon sees end of stream).
  private let hungUp = Atomic<Bool>(false)
  /// A polling GET's hang-up observer, under a lock of its own, so the loop thread never
  /// waits on `state`'s lock (held across `sendmsg` and `shutdown`) to report a hang-up.
  /// Boxed, not a bare closure: a closure as a `Mutex`'s value is re-wrapped in thunks each
  /// time `withLock` lends it out and writes it back.
  private let hangupObserver = Mutex<HangupObserver?>(nil)
  /// Mirrors `state.isShutDown` (set under the lock, with it). Our own `shutdown` makes epoll
  /// report EPOLLHUP at once, while the shutting-down task still holds `state`'s lock (the
  /// syscall runs under it); the loop thread then blocked on that lock for nothing, since a
  /// shut-down channel has nothing to drain (perf, churn: ~1% of the cycle in PI-futex
  /// contention from `handleEvents`).
  private let shutDown = Atomic<Bool>(false)
  /// Whether a request is being received or served on this connection (set by HTTP, read by
  /// the drain through `ConnectionTracker`, which closes idle connections first).
  private let busy = Atomic<Bool>(false)
  private let counted = Atomic<Bool>(false)
  private let loop: EventLoop
  private let slot: Mutex<EventLoopSlot?>
  /// Most bytes the outbound queue may hold; a peer that does not read is cut off there.
  let outboundLimit: Int
  /// Counts bytes in and out (one relaxed atomic add per `recv`/`sendmsg`); nil in tests.
  private let metrics: Metrics?
  /// TLS between the socket and its users, when the gateway serves HTTPS; only touched
  /// under `state`'s lock.
  private let tls: TLSSession?
  /// Set once the TLS handshake completed (always false without TLS).
  private let handshaken = Atomic<Bool>(false)

  private struct State {
    var queue: [[UInt8]] = []
    var queueHead = 0
    var headOffset = 0
    var queuedBytes = 0
    var writable = true
    var isOpen = true
    var isShutDown = false
    var shutDownWhenFlushed = false
    var flushWaiters: [CheckedContinuation<Void, Never>] = []
  }

  /// Wraps an accepted, already non-blocking fd and registers it with `loop`.
  init(
    fd: Int32, peer: String, loop: EventLoop, outboundLimit: Int, metrics: Metrics? = nil,
    tls: TLSSession? = nil
  ) throws(SystemError) {
    self.fd = fd
    self.peer = peer
    self.loop = loop
    self.outboundLimit = outboundLimit
    self.metrics = metrics
    self.tls = tls
    (readable, readableContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    state = Mutex(State())
    slot = Mutex(nil)
    let registered = try loop.register(fd: fd, handler: self)
    slot.withLock { $0 = registered }
  }

  func handleEvents(_ events: UInt32) {
    let hangup = events & (EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0
    if hangup { hungUp.store(true, ordering: .releasing) }
    if events & EPOLLIN.rawValue != 0 || hangup {
      readArmed.store(true, ordering: .releasing)
      readableContinuation.yield()
    }
    if hangup {
      // `hungUp` is already set: an observer registered after this finds it and declines.
      let observer = hangupObserver.withLock { observer -> HangupObserver? in
        defer { observer = nil }
        return observer
      }
      observer?.call()
    }
    let failed = events & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0
    if shutDown.load(ordering: .acquiring) { return }
    if failed || (events & EPOLLOUT.rawValue != 0 && drainPending.load(ordering: .acquiring)) {
      let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
        state.writable = true
        return drainLocked(&state)
      }
      for waiter in waiters { waiter.resume() }
    }
  }

  /// Whether this connection counts against its address's limit; see
  /// `ConnectionTracker.admit`.
  var countedAddress: Bool {
    get { counted.load(ordering: .relaxed) }
    set { counted.store(newValue, ordering: .relaxed) }
  }

  /// Whether a request is in progress here; see `ConnectionTracker.setBusy`.
  var isBusy: Bool {
    get { busy.load(ordering: .relaxed) }
    set { busy.store(newValue, ordering: .relaxed) }
  }

  /// Reads what is available (up to `ReceiveScratch.size` bytes per call) and appends it to
  /// `buffer`.
  func read(into buffer: inout ByteBuffer) -> ReadOutcome {
    // Disarm before `recv`: an edge that lands during or after it re-arms.
    guard
      readArmed.exchange(false, ordering: .acquiringAndReleasing)
        || hungUp.load(ordering: .acquiring)
    else { return .wouldBlock }
    let scratch = ReceiveScratch.current()
    while true {
      let count = recv(fd, scratch, ReceiveScratch.size, 0)
      if count > 0 {
        metrics?.bytesReceived.add(count, ordering: .relaxed)
        // A full buffer may have left bytes behind; a short read emptied the queue.
        if count == ReceiveScratch.size { readArmed.store(true, ordering: .releasing) }
        guard let tls else {
          buffer.writeBytes(UnsafeRawBufferPointer(start: scratch, count: count))
          return .bytes(count)
        }
        let received = UnsafeMutableRawBufferPointer(start: scratch, count: ReceiveScratch.size)
        let (outcome, finished) = decrypt(count, in: received, tls, into: &buffer)
        let justFinished =
          finished && !handshaken.exchange(true, ordering: .acquiringAndReleasing)
        switch outcome {
        // Handshake records only: read on (or wait); `.bytes(0)` once when the handshake
        // just completed, so the owner can trade its handshake deadline for the idle one.
        case .plaintext(0): if justFinished { return .bytes(0) } else { continue }
        case .plaintext(let plaintext): return .bytes(plaintext)
        case .closed: return .endOfFile
        case .failed, .plainHTTP:
          readArmed.store(true, ordering: .releasing)
          return .failed(EPROTO)
        }
      }
      if count == 0 {
        readArmed.store(true, ordering: .releasing)
        return .endOfFile
      }
      switch errno {
      case EINTR: continue
      case EAGAIN, EWOULDBLOCK: return .wouldBlock
      case let error:
        readArmed.store(true, ordering: .releasing)
        return .failed(error)
      }
    }
  }

  /// Queues `chunks` for sending, in order, writing at once when the socket has room.
  @discardableResult
  func write(_ chunks: [UInt8]...) -> WriteOutcome {
    write(contentsOf: chunks)
  }

  /// Queues `chunks` for sending, in order; see `write(_:)`.
  func write(contentsOf chunks: [[UInt8]]) -> WriteOutcome {
    var total = chunks.reduce(0) { $0 + $1.count }
    let (outcome, waiters) = state.withLock {
      state -> (WriteOutcome, [CheckedContinuation<Void, Never>]) in
      guard state.isOpen, !state.isShutDown else { return (.closed, []) }
      guard state.queuedBytes + total <= outboundLimit else { return (.overLimit, []) }
      if let tls {
        // Encrypted under the lock that orders the queue, so records go out in sequence.
        guard let records = tls.encrypt(chunks) else { return (.closed, []) }
        total = records.count
        state.queue.append(records)
      } else {
        for chunk in chunks where !chunk.isEmpty { state.queue.append(chunk) }
      }
      state.queuedBytes += total
      return (.queued, state.writable ? drainLocked(&state) : [])
    }
    for waiter in waiters { waiter.resume() }
    return outcome
  }

  /// Bytes accepted by `write` that have not reached the kernel yet.
  var queuedBytes: Int { state.withLock { $0.queuedBytes } }

  /// Returns once every queued byte reached the kernel, or the channel closed.
  func flush() async {
    await withCheckedContinuation { continuation in
      let done = state.withLock { state -> Bool in
        if state.queuedBytes == 0 || state.isShutDown || !state.isOpen { return true }
        state.flushWaiters.append(continuation)
        return false
      }
      if done { continuation.resume() }
    }
  }

  /// Shuts the channel down once every queued byte reached the kernel (a close frame or a
  /// `Connection: close` response goes out first), or at once when nothing is queued.
  func shutdownAfterFlush() {
    let now = state.withLock { state -> Bool in
      state.shutDownWhenFlushed = true
      return state.queuedBytes == 0
    }
    if now { shutdown() }
  }

  /// Calls `observer` once, from the loop thread, when the peer hangs up; returns false
  /// (and never calls it) when the hang-up was already seen.
  func observeHangup(_ observer: @escaping @Sendable () -> Void) -> Bool {
    if shutDown.load(ordering: .acquiring) { return false }
    return hangupObserver.withLock { slot in
      if hungUp.load(ordering: .acquiring) { return false }
      slot = HangupObserver(call: observer)
      return true
    }
  }

  /// Removes the hang-up observer, if it was not called yet.
  func clearHangupObserver() {
    hangupObserver.withLock { $0 = nil }
  }

  /// Stops both directions now: queued bytes are dropped, the reader wakes and sees the end.
  /// Safe from any task; the owner still calls `release()`.
  func shutdown() {
    let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
      guard state.isOpen, !state.isShutDown else { return [] }
      state.isShutDown = true
      shutDown.store(true, ordering: .releasing)
      _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
      state.queue.removeAll()
      state.queueHead = 0
      state.queuedBytes = 0
      defer { state.flushWaiters.removeAll() }
      return state.flushWaiters
    }
    for waiter in waiters { waiter.resume() }
    readableContinuation.finish()
  }

  /// Closes the fd and leaves the loop. Only the owning task calls this, after its last read.
  func release() {
    let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
      guard state.isOpen else { return [] }
      state.isOpen = false
      state.queue.removeAll()
      state.queuedBytes = 0
      defer { state.flushWaiters.removeAll() }
      return state.flushWaiters
    }
    for waiter in waiters { waiter.resume() }
    readableContinuation.finish()
    if let slot = slot.withLock({ $0 }) {
      loop.deregister(fd: fd, slot: slot)
      close(fd)
      self.slot.withLock { $0 = nil }
    }
  }

  /// Runs the first `count` bytes of `scratch` (ciphertext just received) through TLS into
  /// `buffer`, reusing `scratch` for the plaintext, and queues what TLS answers (handshake
  /// records, alerts) for the socket, under the state lock like every use of the session.
  private func decrypt(
    _ count: Int, in scratch: UnsafeMutableRawBufferPointer, _ tls: TLSSession,
    into buffer: inout ByteBuffer
  ) -> (TLSSession.Received, handshakeFinished: Bool) {
    let (received, finished, waiters) = state.withLock {
      state -> (TLSSession.Received, Bool, [CheckedContinuation<Void, Never>]) in
      let ciphertext = UnsafeRawBufferPointer(rebasing: scratch[..<count])
      let received = tls.receive(ciphertext, scratch: scratch, into: &buffer)
      let finished = tls.isHandshakeFinished
      // A plain-HTTP client gets its 400 in plain text; it could not read a TLS alert.
      let answer = received == .plainHTTP ? TLSSession.plainHTTPAnswer : tls.takeOutput()
      guard !answer.isEmpty, state.isOpen, !state.isShutDown else {
        return (received, finished, [])
      }
      state.queue.append(answer)
      state.queuedBytes += answer.count
      return (received, finished, state.writable ? drainLocked(&state) : [])
    }
    for waiter in waiters { waiter.resume() }
    return (received, finished)
  }

  /// Whether this is a TLS connection whose handshake has not completed yet.
  var isHandshaking: Bool {
    tls != nil && !handshaken.load(ordering: .acquiring)
  }

  /// Writes as much of the queue as the kernel takes; returns flush waiters to resume.
  private func drainLocked(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
    guard state.isOpen, !state.isShutDown else { return [] }
    // Before any sendmsg: an EPOLLOUT edge that follows an EAGAIN must find it set.
    if state.queuedBytes > 0 { drainPending.store(true, ordering: .releasing) }
    while state.queuedBytes > 0 {
      let sent = sendQueued(&state)
      if sent < 0 {
        let error = errno
        if error == EINTR { continue }
        if error == EAGAIN || error == EWOULDBLOCK {
          state.writable = false
          return []
        }
        // EPIPE, ECONNRESET: the peer is gone; the reader sees it on its next read.
        state.isShutDown = true
        shutDown.store(true, ordering: .releasing)
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
        state.queue.removeAll()
        state.queueHead = 0
        state.queuedBytes = 0
        readableContinuation.yield()
        break
      }
      metrics?.bytesSent.add(sent, ordering: .relaxed)
      consume(sent, from: &state)
    }
    if state.queueHead > 0 {
      state.queue.removeAll(keepingCapacity: state.queue.capacity <= 16)
      state.queueHead = 0
    }
    if state.queuedBytes == 0 { drainPending.store(false, ordering: .releasing) }
    if state.shutDownWhenFlushed, state.queuedBytes == 0, !state.isShutDown {
      state.isShutDown = true
      shutDown.store(true, ordering: .releasing)
      _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
      readableContinuation.finish()
    }
    defer { state.flushWaiters.removeAll() }
    return state.flushWaiters
  }

  private func sendQueued(_ state: inout State) -> Int {
    let maximumVectors = 64
    let end = min(state.queue.count, state.queueHead + maximumVectors)
    let fd = self.fd
    let head = state.queueHead
    let offset = state.headOffset
    return state.queue.withUnsafeBufferPointer { queue -> Int in
      withUnsafeTemporaryAllocation(of: iovec.self, capacity: end - head) { vectors in
        for position in head..<end {
          let skip = position == head ? offset : 0
          // The queue's arrays are kept alive by `queue` for the duration of this call, so
          // their storage stays where it is after `withUnsafeBytes` returns.
          vectors[position - head] = queue[position].withUnsafeBytes { bytes in
            iovec(
              iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress.map { $0 + skip }),
              iov_len: bytes.count - skip)
          }
        }
        var message = msghdr()
        message.msg_iov = vectors.baseAddress
        message.msg_iovlen = end - head
        return Glibc.sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
      }
    }
  }

  private func consume(_ sent: Int, from state: inout State) {
    var remaining = sent
    state.queuedBytes -= sent
    while remaining > 0 {
      let available = state.queue[state.queueHead].count - state.headOffset
      if remaining >= available {
        remaining -= available
        state.queue[state.queueHead] = []
        state.queueHead += 1
        state.headOffset = 0
      } else {
        state.headOffset += remaining
        remaining = 0
      }
    }
  }
}

/// What `SocketChannel.observeHangup` was given.
private struct HangupObserver: Sendable {
  let call: @Sendable () -> Void
}

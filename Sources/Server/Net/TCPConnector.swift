import CSystem
import Glibc
import Synchronization

/// Opens outbound TCP connections on the event loop: a non-blocking `connect`, its
/// completion awaited as an `EPOLLOUT` edge, then the fd handed to a `SocketChannel`.
///
/// Names go through `getaddrinfo`, which blocks the calling thread while it resolves; an IP
/// literal or `localhost` resolves without I/O. Each address is tried in turn. Without a
/// `timeout`, an unreachable host fails when the kernel gives up on the SYN (about two
/// minutes with Linux defaults); with one, each address gets that long and then `ETIMEDOUT`.
enum TCPConnector {
  /// Connects to `host:port`; returns the channel, registered with `loop`.
  static func connect(
    host: String, port: Int, loop: EventLoop, outboundLimit: Int, timeout: Duration? = nil
  ) async throws(SystemError) -> SocketChannel {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    let status = getaddrinfo(host, String(port), &hints, &list)
    guard status == 0, let list else {
      let reason = String(cString: gai_strerror(status))
      throw SystemError("getaddrinfo(\(host)): \(reason)", errno: EHOSTUNREACH)
    }
    defer { freeaddrinfo(list) }
    var lastError = SystemError("connect(\(host):\(port))", errno: EHOSTUNREACH)
    var entry: UnsafeMutablePointer<addrinfo>? = list
    while let current = entry {
      entry = current.pointee.ai_next
      do throws(SystemError) {
        let fd = try await connect(
          address: current.pointee, loop: loop, label: "\(host):\(port)", timeout: timeout)
        do {
          return try SocketChannel(
            fd: fd, peer: "\(host):\(port)", loop: loop, outboundLimit: outboundLimit)
        } catch {
          close(fd)
          throw error
        }
      } catch {
        lastError = error
      }
    }
    throw lastError
  }

  /// Connects one socket to `address`; returns the connected, non-blocking fd.
  private static func connect(
    address: addrinfo, loop: EventLoop, label: String, timeout: Duration?
  ) async throws(SystemError) -> Int32 {
    let fd = socket(
      address.ai_family,
      Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
      0)
    guard fd >= 0 else { throw SystemError("socket") }
    // Pipelined commands are small writes; Nagle would hold each one for the previous ACK.
    var one: Int32 = 1
    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    if Glibc.connect(fd, address.ai_addr, address.ai_addrlen) == 0 { return fd }
    guard errno == EINPROGRESS else {
      let error = SystemError("connect(\(label))")
      close(fd)
      throw error
    }
    let waiter = ConnectWaiter()
    let slot: EventLoopSlot
    do {
      slot = try loop.register(fd: fd, handler: waiter)
    } catch {
      close(fd)
      throw error
    }
    if let timeout {
      // The sleeping child ends the wait at the deadline; cancelled once the connect is done.
      await withDiscardingTaskGroup { group in
        group.addTask {
          try? await Task.sleep(for: timeout)
          if !Task.isCancelled { waiter.expire() }
        }
        await waiter.wait()
        group.cancelAll()
      }
    } else {
      await waiter.wait()
    }
    loop.deregister(fd: fd, slot: slot)
    if waiter.expired {
      close(fd)
      throw SystemError("connect(\(label)): no answer within \(timeout ?? .zero)", errno: ETIMEDOUT)
    }
    var failure: Int32 = 0
    var length = socklen_t(MemoryLayout<Int32>.size)
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &length)
    guard failure == 0 else {
      close(fd)
      throw SystemError("connect(\(label))", errno: failure)
    }
    return fd
  }
}

/// Resumes one waiter at the first event for a connecting socket (writable on success,
/// error or hang-up on failure; `SO_ERROR` tells which), or when the connect timeout expires
/// first.
private final class ConnectWaiter: EventLoopHandler, Sendable {
  private let state = Mutex<
    (fired: Bool, expired: Bool, waiter: CheckedContinuation<Void, Never>?)
  >((false, false, nil))

  func handleEvents(_ events: UInt32) {
    fire(expired: false)
  }

  /// The timeout passed before any event.
  func expire() {
    fire(expired: true)
  }

  /// Whether the wait ended because the timeout passed.
  var expired: Bool { state.withLock { $0.expired } }

  private func fire(expired: Bool) {
    let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
      guard !state.fired else { return nil }
      state.fired = true
      state.expired = expired
      defer { state.waiter = nil }
      return state.waiter
    }
    waiter?.resume()
  }

  /// Returns after the first event (at once if it already came).
  func wait() async {
    await withCheckedContinuation { continuation in
      let fired = state.withLock { state -> Bool in
        if state.fired { return true }
        state.waiter = continuation
        return false
      }
      if fired { continuation.resume() }
    }
  }
}

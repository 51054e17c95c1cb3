import CLoadSystem
import Glibc

/// A socket registered with the loop that reacts to readiness.
protocol LoopEndpoint: AnyObject {
  /// The socket's descriptor.
  var fd: Int32 { get }
  /// Called with the `epoll` event mask; edge-triggered, so read and write until `EAGAIN`.
  func handle(events: UInt32)
}

/// The generator's single thread: one `epoll` set, every socket registered once,
/// edge-triggered for input, output and hang-up (the gateway's own model).
///
/// The epoll user data carries the fd and a per-fd generation, so an event that was already
/// collected for a socket closed earlier in the same batch is dropped instead of reaching the
/// socket that reused its fd.
final class LoadLoop {
  private let epollFD: Int32
  private var endpoints: [(any LoopEndpoint)?] = []
  private var generations: [UInt32] = []
  private let events: UnsafeMutablePointer<epoll_event>
  private let capacity = 1024
  /// Scratch space every socket reads into before its bytes are parsed (one thread only).
  let scratch: UnsafeMutableRawBufferPointer
  /// Random bits for masking keys and targets.
  var random: SplitMix64

  /// Creates the epoll set; `seed` makes runs reproducible.
  init(seed: UInt64) {
    epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
    precondition(epollFD >= 0, "epoll_create1 failed: errno \(errno)")
    events = .allocate(capacity: capacity)
    scratch = .allocate(byteCount: 256 * 1024, alignment: 16)
    random = SplitMix64(seed: seed)
  }

  deinit {
    events.deallocate()
    scratch.deallocate()
    close(epollFD)
  }

  /// Registers `endpoint` for edge-triggered input, output and hang-up.
  func add(_ endpoint: any LoopEndpoint) -> Bool {
    let fd = Int(endpoint.fd)
    if fd >= endpoints.count {
      let grown = max(fd + 1, endpoints.count * 2, 64)
      endpoints.append(contentsOf: repeatElement(nil, count: grown - endpoints.count))
      generations.append(contentsOf: repeatElement(0, count: grown - generations.count))
    }
    generations[fd] &+= 1
    endpoints[fd] = endpoint
    var event = epoll_event()
    event.events =
      EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue
    event.data.u64 = UInt64(generations[fd]) << 32 | UInt64(fd)
    guard epoll_ctl(epollFD, EPOLL_CTL_ADD, endpoint.fd, &event) == 0 else {
      endpoints[fd] = nil
      return false
    }
    return true
  }

  /// Forgets `fd` (call before closing it).
  func remove(fd: Int32) {
    var event = epoll_event()
    _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, &event)
    if Int(fd) < endpoints.count {
      endpoints[Int(fd)] = nil
      generations[Int(fd)] &+= 1
    }
  }

  /// Dispatches events until `done()` is true or `deadline` (monotonic ns) passes.
  /// - Parameters:
  ///   - tick: runs before every wait; does what is due and returns when it next wants to
  ///     run (nil: only on events).
  ///   - done: checked before every wait.
  /// - Returns: true when `done()` became true, false on the deadline.
  @discardableResult
  func run(deadline: Int64, tick: () -> Int64? = { nil }, done: () -> Bool) -> Bool {
    while true {
      let wake = tick()
      if done() { return true }
      let now = MonotonicClock.now()
      if now >= deadline { return false }
      var timeout = deadline - now
      if let wake { timeout = min(timeout, max(0, wake - now)) }
      // epoll_pwait2 takes a timespec: pacing needs finer steps than epoll_wait's milliseconds.
      timeout = min(timeout, 1_000_000_000)
      var wait = timespec(
        tv_sec: Int(timeout / 1_000_000_000), tv_nsec: Int(timeout % 1_000_000_000))
      let count = epoll_pwait2(epollFD, events, Int32(capacity), &wait, nil)
      if count < 0 {
        precondition(errno == EINTR, "epoll_pwait2 failed: errno \(errno)")
        continue
      }
      for position in 0..<Int(count) {
        let data = events[position].data.u64
        let fd = Int(data & 0xFFFF_FFFF)
        guard fd < endpoints.count, generations[fd] == UInt32(truncatingIfNeeded: data >> 32),
          let endpoint = endpoints[fd]
        else { continue }
        endpoint.handle(events: events[position].events)
      }
    }
  }

  /// Runs the loop for `nanoseconds`, serving events (pings) meanwhile.
  func idle(for nanoseconds: Int64) {
    run(deadline: MonotonicClock.now() + nanoseconds) { false }
  }
}

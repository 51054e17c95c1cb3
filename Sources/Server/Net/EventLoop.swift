import CSystem
import Glibc
import Synchronization

/// Receives readiness for one file descriptor on the event-loop thread.
///
/// Implementations only make syscalls and resume continuations: no application code runs on
/// the loop thread.
protocol EventLoopHandler: AnyObject, Sendable {
  /// Called on the loop thread with the `epoll` event mask.
  func handleEvents(_ events: UInt32)
}

/// Identifies a registration: slot index plus generation, so that an event for a closed fd
/// whose slot was reused is recognised and dropped.
struct EventLoopSlot: Sendable, Equatable {
  var index: UInt32
  var generation: UInt32

  var epollData: UInt64 { UInt64(generation) << 32 | UInt64(index) }
}

/// One dedicated thread looping on `epoll_wait`; every fd is registered once, edge-triggered.
///
/// An `eventfd` wakes the loop to stop. An idle loop sleeps in `epoll_wait` with no timeout,
/// so an idle server uses no CPU.
final class EventLoop: Sendable {
  private struct Slots {
    var entries: [(generation: UInt32, handler: (any EventLoopHandler)?)] = []
    var free: [UInt32] = []
  }

  private static let wakeToken = UInt64.max
  private let epollFD: Int32
  private let wakeFD: Int32
  private let slots = Mutex(Slots())
  private let stopping = Atomic<Bool>(false)
  private let finished = Mutex<[CheckedContinuation<Void, Never>]?>([])

  /// Creates the epoll instance and its wake-up eventfd; call `start()` to run the thread.
  init() throws(SystemError) {
    let epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
    guard epollFD >= 0 else { throw SystemError("epoll_create1") }
    let wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
    guard wakeFD >= 0 else {
      let error = SystemError("eventfd")
      close(epollFD)
      throw error
    }
    var event = epoll_event()
    event.events = EPOLLIN.rawValue
    event.data.u64 = Self.wakeToken
    guard epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event) == 0 else {
      let error = SystemError("epoll_ctl(eventfd)")
      close(wakeFD)
      close(epollFD)
      throw error
    }
    self.epollFD = epollFD
    self.wakeFD = wakeFD
  }

  /// Starts the loop on a new pthread (not GCD, not the cooperative pool).
  func start() {
    let context = Unmanaged.passRetained(self).toOpaque()
    var thread = pthread_t()
    let result = pthread_create(
      &thread, nil,
      { argument in
        guard let argument else { return nil }
        let loop = Unmanaged<EventLoop>.fromOpaque(argument).takeRetainedValue()
        loop.run()
        return nil
      }, context)
    precondition(result == 0, "pthread_create failed: \(result)")
    pthread_detach(thread)
  }

  /// Registers `fd` for edge-triggered input, output and hang-up events.
  func register(fd: Int32, handler: any EventLoopHandler) throws(SystemError) -> EventLoopSlot {
    let slot = slots.withLock { slots -> EventLoopSlot in
      if let index = slots.free.popLast() {
        slots.entries[Int(index)].handler = handler
        return EventLoopSlot(index: index, generation: slots.entries[Int(index)].generation)
      }
      slots.entries.append((0, handler))
      return EventLoopSlot(index: UInt32(slots.entries.count - 1), generation: 0)
    }
    var event = epoll_event()
    event.events =
      EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue
    event.data.u64 = slot.epollData
    guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
      let error = SystemError("epoll_ctl(ADD)")
      release(slot)
      throw error
    }
    return slot
  }

  /// Removes `fd` from the loop and frees its slot; events still in flight for it are dropped.
  func deregister(fd: Int32, slot: EventLoopSlot) {
    var event = epoll_event()
    _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, &event)
    release(slot)
  }

  private func release(_ slot: EventLoopSlot) {
    slots.withLock { slots in
      let index = Int(slot.index)
      guard index < slots.entries.count, slots.entries[index].generation == slot.generation
      else { return }
      slots.entries[index].handler = nil
      slots.entries[index].generation &+= 1
      slots.free.append(slot.index)
    }
  }

  /// Asks the loop thread to exit and waits until it has.
  func stop() async {
    stopping.store(true, ordering: .releasing)
    var one: UInt64 = 1
    _ = write(wakeFD, &one, 8)
    await withCheckedContinuation { continuation in
      let alreadyDone = finished.withLock { waiters -> Bool in
        guard waiters != nil else { return true }
        waiters?.append(continuation)
        return false
      }
      if alreadyDone { continuation.resume() }
    }
  }

  private func run() {
    let capacity = 512
    let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
    defer { events.deallocate() }
    while !stopping.load(ordering: .acquiring) {
      let count = epoll_wait(epollFD, events, Int32(capacity), -1)
      if count < 0 {
        if errno == EINTR { continue }
        fatalError("\(SystemError("epoll_wait"))")
      }
      for position in 0..<Int(count) {
        let event = events[position]
        let data = event.data.u64
        if data == Self.wakeToken {
          var value: UInt64 = 0
          _ = read(wakeFD, &value, 8)
          continue
        }
        let index = Int(data & 0xFFFF_FFFF)
        let generation = UInt32(truncatingIfNeeded: data >> 32)
        let handler = slots.withLock { slots -> (any EventLoopHandler)? in
          guard index < slots.entries.count, slots.entries[index].generation == generation
          else { return nil }
          return slots.entries[index].handler
        }
        handler?.handleEvents(event.events)
      }
    }
    close(wakeFD)
    close(epollFD)
    let waiters = finished.withLock { waiters in
      defer { waiters = nil }
      return waiters ?? []
    }
    for waiter in waiters { waiter.resume() }
  }
}

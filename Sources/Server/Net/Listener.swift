import CSystem
import Glibc
import Synchronization

/// A listening TCP socket on the event loop; `accept()` hands out non-blocking fds.
final class Listener: EventLoopHandler, Sendable {
  /// The listening fd.
  let fd: Int32
  /// The port actually bound (useful with port 0).
  let port: Int
  private let loop: EventLoop
  private let slot = Mutex<EventLoopSlot?>(nil)
  private let readable: AsyncStream<Void>
  private let readableContinuation: AsyncStream<Void>.Continuation

  /// Binds `host:port` (IPv4 dotted quad, `localhost`, `::`/IPv6 literal, or `0.0.0.0`) and
  /// listens with `backlog`. `reusePort` (`GATEWAY_REUSE_PORT`) lets other processes bind
  /// the same port, the kernel spreading new connections over them (SO_REUSEPORT).
  init(host: String, port: Int, backlog: Int32 = 4096, loop: EventLoop, reusePort: Bool = false)
    throws(SystemError)
  {
    let isIPv6 = host.contains(":")
    let family = isIPv6 ? AF_INET6 : AF_INET
    let fd = socket(
      family,
      Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw SystemError("socket") }
    var one: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    if reusePort,
      setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size)) != 0
    {
      let error = SystemError("setsockopt(SO_REUSEPORT)")
      Glibc.close(fd)
      throw error
    }
    let bound: Int32
    if isIPv6 {
      var address = sockaddr_in6()
      address.sin6_family = sa_family_t(AF_INET6)
      address.sin6_port = in_port_t(UInt16(port).bigEndian)
      guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else {
        Glibc.close(fd)
        throw SystemError("inet_pton(\(host))", errno: EINVAL)
      }
      bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
      }
    } else {
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = in_port_t(UInt16(port).bigEndian)
      let literal = host == "localhost" ? "127.0.0.1" : host
      guard inet_pton(AF_INET, literal, &address.sin_addr) == 1 else {
        Glibc.close(fd)
        throw SystemError("inet_pton(\(host))", errno: EINVAL)
      }
      bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
    }
    guard bound == 0 else {
      let error = SystemError("bind(\(host):\(port))")
      Glibc.close(fd)
      throw error
    }
    guard listen(fd, backlog) == 0 else {
      let error = SystemError("listen")
      Glibc.close(fd)
      throw error
    }
    self.fd = fd
    self.port = Self.localPort(of: fd) ?? port
    self.loop = loop
    (readable, readableContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    let registered = try loop.register(fd: fd, handler: self)
    slot.withLock { $0 = registered }
  }

  func handleEvents(_ events: UInt32) {
    readableContinuation.yield()
  }

  /// Accepts one pending connection, or nil when none is waiting.
  func acceptOne() -> Result<(Int32, String)?, SystemError> {
    while true {
      var storage = sockaddr_storage()
      var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
      let client = withUnsafeMutablePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          accept4(fd, $0, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
        }
      }
      if client >= 0 {
        var one: Int32 = 1
        setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(4))
        return .success((client, Self.describe(&storage)))
      }
      switch errno {
      case EINTR, ECONNABORTED: continue
      case EAGAIN, EWOULDBLOCK: return .success(nil)
      default: return .failure(SystemError("accept4"))
      }
    }
  }

  /// A fresh iterator over readiness edges (one consumer only).
  func makeReadableIterator() -> AsyncStream<Void>.Iterator {
    readable.makeAsyncIterator()
  }

  /// Stops listening: the accept loop wakes and ends.
  func close() {
    readableContinuation.finish()
    if let slot = slot.withLock({ slot in
      defer { slot = nil }; return slot
    }) {
      loop.deregister(fd: fd, slot: slot)
      Glibc.close(fd)
    }
  }

  private static func localPort(of fd: Int32) -> Int? {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let result = withUnsafeMutablePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard result == 0 else { return nil }
    return portOf(&storage)
  }

  private static func portOf(_ storage: inout sockaddr_storage) -> Int {
    let family = storage.ss_family
    return withUnsafePointer(to: &storage) { pointer in
      if family == sa_family_t(AF_INET6) {
        return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
          Int(UInt16(bigEndian: $0.pointee.sin6_port))
        }
      }
      return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
        Int(UInt16(bigEndian: $0.pointee.sin_port))
      }
    }
  }

  private static func describe(_ storage: inout sockaddr_storage) -> String {
    let port = portOf(&storage)
    var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
    let family = storage.ss_family
    withUnsafePointer(to: &storage) { pointer in
      if family == sa_family_t(AF_INET6) {
        pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
          var address = $0.pointee.sin6_addr
          _ = inet_ntop(AF_INET6, &address, &text, socklen_t(text.count))
        }
      } else {
        pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
          var address = $0.pointee.sin_addr
          _ = inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
        }
      }
    }
    let host = String(
      decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return "\(host):\(port)"
  }
}

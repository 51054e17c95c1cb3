import CSystem
import Foundation
import Glibc
import Protocol

/// A blocking loopback TCP client for tests. Each blocking call runs on a thread of its own,
/// never on the cooperative pool the server under test needs, nor on Dispatch's global
/// queue: on Linux that queue adds a thread only about once a second while all of its
/// threads are blocked, so with dozens of servers under test at once a client's next `send`
/// could wait longer than the server timeouts the tests exercise.
struct TestSocket: Sendable {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  let fd: Int32

  /// Connects to 127.0.0.1:`port` with 15 s send/receive timeouts. They only bound waits
  /// that should succeed (no test waits one out on its passing path), so they are generous:
  /// under ThreadSanitizer on a box busy with other work, 5 s was not always enough.
  static func connect(port: Int) async throws -> TestSocket {
    try await offload {
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      guard fd >= 0 else { throw Failure(description: "socket failed") }
      var timeout = timeval(tv_sec: 15, tv_usec: 0)
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = in_port_t(UInt16(port).bigEndian)
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
      guard result == 0 else {
        Glibc.close(fd)
        throw Failure(description: "connect failed: errno \(errno)")
      }
      return TestSocket(fd: fd)
    }
  }

  /// Sends every byte.
  func send(_ bytes: [UInt8]) async throws {
    let fd = self.fd
    try await Self.offload {
      var offset = 0
      while offset < bytes.count {
        let sent = bytes[offset...].withUnsafeBytes {
          Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
        }
        guard sent > 0 else { throw Failure(description: "send failed: errno \(errno)") }
        offset += sent
      }
    }
  }

  func send(_ text: String) async throws {
    try await send(Array(text.utf8))
  }

  /// Reads what arrives next (at most 64 KiB); empty at end of stream or on timeout.
  func receive() async -> [UInt8] {
    let fd = self.fd
    return await Self.offloadNonThrowing {
      var buffer = [UInt8](repeating: 0, count: 65536)
      let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      return count > 0 ? Array(buffer[0..<count]) : []
    }
  }

  /// Half-closes (no more sends).
  func shutdownWrite() {
    _ = Glibc.shutdown(fd, Int32(SHUT_WR))
  }

  func close() {
    Glibc.close(fd)
  }

  static func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      Thread { continuation.resume(with: Result { try work() }) }.start()
    }
  }

  static func offloadNonThrowing<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
      Thread { continuation.resume(returning: work()) }.start()
    }
  }
}

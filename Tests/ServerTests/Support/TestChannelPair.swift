import CSystem
import Glibc
import Protocol

@testable import Server

/// A `SocketChannel` on one end of a `socketpair(2)` and a raw fd on the other, with a
/// running event loop.
final class TestChannelPair: Sendable {
  let loop: EventLoop
  let server: SocketChannel
  let clientFD: Int32

  init(sendBuffer: Int32? = nil, outboundLimit: Int = 1 << 24, tls: TLSSession? = nil) throws {
    var fds: [Int32] = [0, 0]
    guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else {
      throw SystemError("socketpair")
    }
    if var size = sendBuffer {
      setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &size, 4)
      setsockopt(fds[1], SOL_SOCKET, SO_RCVBUF, &size, 4)
    }
    let flags = fcntl(fds[0], F_GETFL)
    _ = fcntl(fds[0], F_SETFL, flags | O_NONBLOCK)
    loop = try EventLoop()
    loop.start()
    server = try SocketChannel(
      fd: fds[0], peer: "pair", loop: loop, outboundLimit: outboundLimit, tls: tls)
    clientFD = fds[1]
  }

  /// Reads exactly `count` bytes from the client end (blocking, off the cooperative pool).
  func readFromClient(count: Int) async -> [UInt8] {
    let fd = clientFD
    return await TestSocket.offloadNonThrowing {
      var result: [UInt8] = []
      var chunk = [UInt8](repeating: 0, count: 65536)
      while result.count < count {
        let read = chunk.withUnsafeMutableBytes {
          recv(fd, $0.baseAddress, min($0.count, count - result.count), 0)
        }
        if read <= 0 { break }
        result += chunk[0..<read]
      }
      return result
    }
  }

  /// Reads on the server end, waiting on `readable` after each `.wouldBlock` as every reader
  /// does, and returns the first other outcome. (The stream keeps the newest edge, which
  /// may be one that an earlier read already used.)
  func readPastWouldBlock(
    into buffer: inout ByteBuffer, waitingOn readable: inout AsyncStream<Void>.Iterator
  ) async -> ReadOutcome {
    var outcome = server.read(into: &buffer)
    while outcome == .wouldBlock {
      _ = await readable.next()
      outcome = server.read(into: &buffer)
    }
    return outcome
  }

  /// Writes from the client end.
  func writeFromClient(_ bytes: [UInt8]) {
    _ = bytes.withUnsafeBytes {
      Glibc.send(clientFD, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
    }
  }

  func close() async {
    server.shutdown()
    server.release()
    Glibc.close(clientFD)
    await loop.stop()
  }
}

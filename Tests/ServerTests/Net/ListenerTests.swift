import Glibc
import Testing

@testable import Server

@Suite struct ListenerTests {
  @Test func twoListenersWithReusePortShareAPortAndBothAccept() async throws {
    let loop = try EventLoop()
    loop.start()
    let first = try Listener(host: "127.0.0.1", port: 0, loop: loop, reusePort: true)
    let second = try Listener(host: "127.0.0.1", port: first.port, loop: loop, reusePort: true)
    #expect(second.port == first.port)
    // The kernel spreads connections by a hash of their addresses: connect until each listener
    // has taken at least one (a handful is enough; 200 bounds an unlucky run).
    var accepted = [0, 0]
    var clients: [TestSocket] = []
    for _ in 0..<200 where accepted.contains(0) {
      clients.append(try await TestSocket.connect(port: first.port))
      // `connect` returned: the connection waits in exactly one listener's queue.
      var found = false
      for _ in 0..<100_000 where !found {
        for (index, listener) in [first, second].enumerated() {
          if let (fd, _) = try listener.acceptOne().get() {
            close(fd)
            accepted[index] += 1
            found = true
          }
        }
        await Task.yield()
      }
      #expect(found)
    }
    #expect(accepted[0] > 0)
    #expect(accepted[1] > 0)
    for client in clients { client.close() }
    first.close()
    second.close()
    await loop.stop()
  }

  @Test func withoutReusePortASecondBindFails() async throws {
    let loop = try EventLoop()
    loop.start()
    let first = try Listener(host: "127.0.0.1", port: 0, loop: loop)
    #expect(throws: SystemError.self) {
      _ = try Listener(host: "127.0.0.1", port: first.port, loop: loop)
    }
    #expect(throws: SystemError.self) {
      _ = try Listener(host: "127.0.0.1", port: first.port, loop: loop, reusePort: true)
    }
    first.close()
    await loop.stop()
  }
}

import Foundation
import Glibc
import Synchronization

@testable import Server

/// A real `redis-server` (Debian's, installed by `scripts/setup`) on a free port in a
/// temporary directory, without persistence; `stop()` ends it and removes the directory.
final class TestRedisServer: Sendable {
  /// Where Debian installs the binary; tests skip when it is missing.
  static let binary = "/usr/bin/redis-server"

  /// Whether the binary is there.
  static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binary) }

  /// The TCP port it listens on (127.0.0.1).
  let port: Int
  private let directory: String
  private let process: Mutex<Process>

  /// Starts the server with `arguments` appended (e.g. `--requirepass`), and returns once
  /// it logged "Ready to accept connections" (at most 20 s).
  /// `port` restarts a server where an earlier one listened (a Redis restart).
  init(arguments: [String] = [], port: Int? = nil) async throws {
    self.port = try port ?? Self.freePort()
    directory =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("gateway-redis-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.binary)
    process.arguments =
      [
        "--port", String(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", directory,
      ] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    let ready = ReadyWatch()
    output.fileHandleForReading.readabilityHandler = { handle in
      ready.consume(handle.availableData)
    }
    try process.run()
    self.process = Mutex(process)
    let started = await ready.wait(seconds: 20)
    output.fileHandleForReading.readabilityHandler = nil
    guard started else {
      stop()
      throw SystemError("redis-server did not become ready: \(ready.text.suffix(500))", errno: 0)
    }
  }

  /// The URL of this server, with `password` when given.
  func url(password: String? = nil, database: Int = 0) -> RedisURL {
    RedisURL(host: "127.0.0.1", port: port, password: password, database: database)
  }

  /// Kills the server at once (SIGKILL) and waits for it to exit. `stop()` uses SIGKILL too:
  /// started from the test process, the server was seen to ignore SIGTERM (a signal mask
  /// inherited from the runner, most likely), and it keeps no data to lose.
  func kill() {
    process.withLock { process in
      if process.isRunning {
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
      }
    }
  }

  /// Ends the server and removes its directory.
  func stop() {
    kill()
    try? FileManager.default.removeItem(atPath: directory)
  }

  /// A port nobody listens on right now (bound to port 0 and released).
  static func freePort() throws -> Int {
    let (fd, port) = try boundPort()
    close(fd)
    return port
  }

  /// Runs `body` with a port that refuses connections for as long as it runs: bound here
  /// and never listened on, so no other test's server can take it meanwhile.
  static func withRefusingPort<T>(_ body: (Int) async throws -> T) async throws -> T {
    let (fd, port) = try boundPort()
    defer { close(fd) }
    return try await body(port)
  }

  /// A socket bound to 127.0.0.1 on a port the kernel picked, and that port.
  private static func boundPort() throws -> (Int32, Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw SystemError("socket") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
        bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
      }
    }
    guard bound else {
      close(fd)
      throw SystemError("bind")
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
  }
}

/// Collects the server's output and resumes a waiter once it says it is ready.
private final class ReadyWatch: Sendable {
  private struct State {
    var text = ""
    var ready = false
    var gaveUp = false
    var waiter: CheckedContinuation<Bool, Never>?
  }

  private let state = Mutex(State())

  var text: String { state.withLock { $0.text } }

  func consume(_ data: Data) {
    let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
      state.text += String(decoding: data, as: UTF8.self)
      guard !state.ready, state.text.contains("Ready to accept connections") else { return nil }
      state.ready = true
      defer { state.waiter = nil }
      return state.waiter
    }
    waiter?.resume(returning: true)
  }

  /// True once ready, false after `seconds` without it (a timeout, not a pacing sleep).
  func wait(seconds: Int) async -> Bool {
    await withTaskGroup(of: Bool.self) { group in
      group.addTask {
        await withCheckedContinuation { continuation in
          let answer = self.state.withLock { state -> Bool? in
            if state.ready || state.gaveUp { return state.ready }
            state.waiter = continuation
            return nil
          }
          if let answer { continuation.resume(returning: answer) }
        }
      }
      group.addTask {
        try? await Task.sleep(for: .seconds(seconds))
        return self.giveUp()
      }
      let first = await group.next() ?? false
      group.cancelAll()
      _ = giveUp()
      return first
    }
  }

  /// Stops waiting: resumes a parked waiter with false; returns whether it was ready.
  private func giveUp() -> Bool {
    let (ready, waiter) = state.withLock { state in
      state.gaveUp = true
      defer { state.waiter = nil }
      return (state.ready, state.waiter)
    }
    waiter?.resume(returning: false)
    return ready
  }
}

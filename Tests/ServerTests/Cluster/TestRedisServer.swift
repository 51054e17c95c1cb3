import CSystem
import Foundation
import Glibc
import Synchronization

@testable import Server

/// A real `redis-server` (Debian's, installed by `scripts/setup`) on a free port in a
/// temporary directory, without persistence; `stop()` ends it and removes the directory.
///
/// Started with `posix_spawn` and reaped with `waitpid`, not with Foundation's `Process`:
/// `Process.waitUntilExit()` spins a run loop and waits for Foundation to notice the child's
/// end, and called from the cooperative pool under a parallel test run it can park its
/// thread for good, which hangs the whole suite (it did, on a CI run that never finished).
final class TestRedisServer: Sendable {
  /// Where Debian installs the binary; tests skip when it is missing.
  static let binary = "/usr/bin/redis-server"

  /// Whether the binary is there.
  static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binary) }

  /// The TCP port it listens on (127.0.0.1).
  let port: Int
  private let directory: String
  /// The server's process id until it has been killed and reaped.
  private let child: Mutex<pid_t?>

  /// Starts the server with `arguments` appended (e.g. `--requirepass`), and returns once
  /// it logged "Ready to accept connections" (at most 20 s).
  /// `port` restarts a server where an earlier one listened (a Redis restart); without it a
  /// free port is picked, and picked again when another process took it between the check
  /// and Redis's own bind (a parallel test run does that now and then).
  init(arguments: [String] = [], port: Int? = nil) async throws {
    directory =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("gateway-redis-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    var attempt = 0
    while true {
      attempt += 1
      let candidate = try port ?? Self.freePort()
      let started = try await Self.start(
        port: candidate, directory: directory, arguments: arguments)
      if let child = started.child {
        self.port = candidate
        self.child = Mutex(child)
        return
      }
      let taken = started.log.contains("Address already in use")
      guard taken, port == nil, attempt < 8 else {
        try? FileManager.default.removeItem(atPath: directory)
        throw StartFailure(log: String(started.log.suffix(500)))
      }
    }
  }

  /// Spawns one server on `port`; the child when it became ready, else nil (it was killed
  /// and reaped) and its log.
  private static func start(port: Int, directory: String, arguments: [String]) async throws
    -> (child: pid_t?, log: String)
  {
    let output = try spawn(
      [
        binary, "--port", String(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--dir", directory,
      ] + arguments)
    let ready = ReadyWatch()
    // Reads the server's log until it exits (end of file), so the pipe never fills.
    let fd = output.fd
    Thread {
      var buffer = [UInt8](repeating: 0, count: 4096)
      while true {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { break }
        ready.consume(buffer[0..<count])
      }
      close(fd)
      ready.ended()
    }.start()
    guard await ready.wait(seconds: 20) else {
      Glibc.kill(output.child, SIGKILL)
      var status: Int32 = 0
      while waitpid(output.child, &status, 0) < 0 && errno == EINTR {}
      return (nil, ready.text)
    }
    return (output.child, ready.text)
  }

  /// Starts `arguments` with standard output and error on a new pipe (close-on-exec here,
  /// so no other child spawned meanwhile holds it open); returns the child and the read end.
  private static func spawn(_ arguments: [String]) throws -> (child: pid_t, fd: Int32) {
    var ends: [Int32] = [0, 0]
    guard pipe2(&ends, O_CLOEXEC) == 0 else { throw SystemError("pipe2") }
    defer { close(ends[1]) }
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for argument in argv { free(argument) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
    posix_spawn_file_actions_adddup2(&actions, ends[1], 2)
    var child = pid_t()
    let result = posix_spawn(&child, arguments[0], &actions, nil, &argv, environ)
    guard result == 0 else {
      close(ends[0])
      throw SystemError("posix_spawn \(arguments[0])", errno: result)
    }
    return (child, ends[0])
  }

  /// The URL of this server, with `password` when given.
  func url(password: String? = nil, database: Int = 0) -> RedisURL {
    RedisURL(host: "127.0.0.1", port: port, password: password, database: database)
  }

  /// Kills the server at once (SIGKILL) and reaps it. `stop()` uses SIGKILL too: started
  /// from the test process, the server was seen to ignore SIGTERM (a signal mask inherited
  /// from the runner, most likely), and it keeps no data to lose.
  func kill() {
    child.withLock { child in
      guard let pid = child else { return }
      Glibc.kill(pid, SIGKILL)
      var status: Int32 = 0
      while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
      child = nil
    }
  }

  /// Ends the server and removes its directory.
  func stop() {
    kill()
    try? FileManager.default.removeItem(atPath: directory)
  }

  /// A port nobody listens on right now, below the kernel's ephemeral range so that no
  /// socket bound to port 0 and no outgoing connection can be given it meanwhile.
  static func freePort() throws -> Int {
    let ceiling = ephemeralFloor()
    for _ in 0..<64 {
      let candidate = Int.random(in: 10_000..<max(ceiling, 10_001))
      if let fd = try? bound(to: candidate) {
        close(fd)
        return candidate
      }
    }
    let (fd, port) = try boundPort()
    close(fd)
    return port
  }

  /// The lowest port the kernel hands out for port 0 (32768 when it cannot be read).
  private static func ephemeralFloor() -> Int {
    let range =
      (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
    let low = range.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first
    return low.flatMap { Int($0) } ?? 32768
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
    let fd = try bound(to: 0)
    var address = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
    }
    guard named else {
      close(fd)
      throw SystemError("getsockname")
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
  }

  /// A socket bound to 127.0.0.1:`port` (0: the kernel picks).
  private static func bound(to port: Int) throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw SystemError("socket") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    let done = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
    guard done else {
      let error = SystemError("bind 127.0.0.1:\(port)")
      close(fd)
      throw error
    }
    return fd
  }
}

/// Why a test Redis did not start, with the end of its log.
struct StartFailure: Error, CustomStringConvertible {
  let log: String
  var description: String { "redis-server did not become ready: \(log)" }
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

  /// Takes the next piece of the server's log (only the newest 4 KB are kept).
  func consume(_ bytes: ArraySlice<UInt8>) {
    let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
      state.text += String(decoding: bytes, as: UTF8.self)
      if state.text.utf8.count > 4096 { state.text = String(state.text.suffix(2048)) }
      guard !state.ready, state.text.contains("Ready to accept connections") else { return nil }
      state.ready = true
      defer { state.waiter = nil }
      return state.waiter
    }
    waiter?.resume(returning: true)
  }

  /// The log reached its end (the server exited): a waiter learns at once it never got ready.
  func ended() { _ = giveUp() }

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

import Protocol
import Synchronization

extension RedisConnection {
  /// Connects to `url` on `loop` and logs in; the caller then runs `run()` in its group.
  /// The TCP connect and the log-in together take at most `timeout` seconds, so an
  /// unreachable or black-holed Redis fails fast instead of waiting for the kernel.
  static func connect(
    to url: RedisURL, loop: EventLoop, limits: RESPLimits = RESPLimits(), timeout: Double = 3
  ) async throws(RedisError) -> RedisConnection {
    let deadline = Clock.monotonicNanoseconds() + Int64(timeout * 1e9)
    let channel = try await connectSocket(url: url, loop: loop, timeout: timeout)
    // The log-in reads with no deadline of its own: a watchdog shuts the socket at the
    // deadline, which ends the reads, and the error then says it timed out.
    let timedOut = Atomic<Bool>(false)
    let watchdog = Task {
      let left = deadline - Clock.monotonicNanoseconds()
      if left > 0 { try? await Task.sleep(nanoseconds: UInt64(left)) }
      guard !Task.isCancelled else { return }
      if timedOut.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged {
        channel.shutdown()
      }
    }
    var handshake = RedisHandshake(url: url, channel: channel, decoder: RESPDecoder(limits: limits))
    do throws(RedisError) {
      let version = try await handshake.logIn()
      watchdog.cancel()
      guard timedOut.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged
      else { throw .connectionLost("log-in timed out") }
      return RedisConnection(
        url: url, protocolVersion: version, channel: channel, buffer: handshake.buffer,
        decoder: handshake.decoder)
    } catch {
      watchdog.cancel()
      let fired = !timedOut.compareExchange(expected: false, desired: true, ordering: .relaxed)
        .exchanged
      channel.shutdown()
      channel.release()
      if fired, case .connectionLost = error {
        // The watchdog shut the socket: say it timed out.
        throw .connectFailed(timeoutMessage(url, timeout, "log-in"))
      }
      throw error
    }
  }

  private static func timeoutMessage(_ url: RedisURL, _ timeout: Double, _ phase: String)
    -> String
  {
    "cannot connect to Redis at \(url.host):\(url.port): no answer within \(timeout) s (\(phase))"
  }

  /// The TCP connect, raced against `timeout`: a socket that connects after the caller gave
  /// up is closed at once.
  private static func connectSocket(url: RedisURL, loop: EventLoop, timeout: Double)
    async throws(RedisError) -> SocketChannel
  {
    let race = ConnectRace()
    let outcome: Result<SocketChannel, RedisError> = await withCheckedContinuation { continuation in
      race.start(continuation)
      Task {
        do {
          let channel = try await TCPConnector.connect(
            host: url.host, port: url.port, loop: loop, outboundLimit: outboundLimit)
          if !race.finish(.success(channel)) {
            channel.shutdown()
            channel.release()
          }
        } catch {
          _ = race.finish(
            .failure(.connectFailed("cannot connect to Redis at \(url.host):\(url.port): \(error)"))
          )
        }
      }
      Task {
        try? await Task.sleep(nanoseconds: UInt64(timeout * 1e9))
        _ = race.finish(.failure(.connectFailed(timeoutMessage(url, timeout, "TCP connect"))))
      }
    }
    return try outcome.get()
  }
}

/// The first of a connect and its timeout to finish resumes the waiter; the other is told
/// it lost.
private final class ConnectRace: Sendable {
  private let waiter = Mutex<CheckedContinuation<Result<SocketChannel, RedisError>, Never>?>(nil)
  private let done = Atomic<Bool>(false)

  func start(_ continuation: CheckedContinuation<Result<SocketChannel, RedisError>, Never>) {
    waiter.withLock { $0 = continuation }
  }

  /// Resumes the waiter with `outcome` when nobody did yet; returns whether this call won.
  func finish(_ outcome: Result<SocketChannel, RedisError>) -> Bool {
    guard
      done.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
        .exchanged
    else { return false }
    let continuation = waiter.withLock { waiter in
      defer { waiter = nil }
      return waiter
    }
    continuation?.resume(returning: outcome)
    return true
  }
}

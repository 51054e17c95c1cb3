import Dispatch
import Glibc

/// SIGTERM/SIGINT as an `AsyncStream` (Dispatch signal sources; the default actions are
/// disabled so the process drains instead of dying).
enum SignalStream {
  static func make(_ signals: [Int32]) -> AsyncStream<Int32> {
    let (stream, continuation) = AsyncStream.makeStream(
      of: Int32.self, bufferingPolicy: .bufferingNewest(4))
    let queue = DispatchQueue(label: "gateway.signals")
    var sources: [any DispatchSourceSignal] = []
    for number in signals {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      source.setEventHandler { continuation.yield(number) }
      source.resume()
      sources.append(source)
    }
    let retained = SignalSources(sources)
    continuation.onTermination = { _ in retained.cancel() }
    return stream
  }
}

/// Keeps the signal sources alive while the stream is.
private final class SignalSources: @unchecked Sendable {
  // Invariant: `sources` is written once in init and only read (cancel) afterwards.
  private let sources: [any DispatchSourceSignal]

  init(_ sources: [any DispatchSourceSignal]) { self.sources = sources }

  func cancel() {
    for source in sources { source.cancel() }
  }
}

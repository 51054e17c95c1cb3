import Dispatch
import Foundation
import Glibc
import Synchronization

/// Sends signed webhook requests from a fixed number of threads, each with its own kept-alive
/// connection: the concurrency bound (`GATEWAY_WEBHOOK_CONCURRENCY`). Callers await a
/// continuation; no actor and no loop thread waits for the network.
final class WebhookSender: Sendable {
  /// The answer to one request, or why there was none.
  typealias Outcome = Result<(status: Int, body: [UInt8]), WebhookConnection.Failure>

  private struct Job: Sendable {
    var request: [UInt8]
    var done: @Sendable (Outcome) -> Void
  }

  private let url: WebhookURL
  private let jobs = Mutex<[Job]>([])
  private let wake = DispatchSemaphore(value: 0)
  let concurrency: Int

  init(url: WebhookURL, concurrency: Int, timeoutMilliseconds: Int, tls: TLSClientContext?) {
    self.url = url
    self.concurrency = concurrency
    for _ in 0..<concurrency {
      let thread = Thread { [self] in
        let connection = WebhookConnection(
          url: url, timeoutMilliseconds: timeoutMilliseconds, tls: tls?.context)
        withExtendedLifetime(tls) { self.serve(connection) }
      }
      thread.start()
    }
  }

  /// POSTs `body` with `headers`; the answer, or the failure.
  func post(_ body: [UInt8], headers: [(String, String)]) async -> Outcome {
    var request = Array(
      ("POST \(url.target) HTTP/1.1\r\nHost: \(url.hostHeader)\r\nUser-Agent: gateway-webhooks\r\n"
        + "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n").utf8)
    for (name, value) in headers { request.append(contentsOf: "\(name): \(value)\r\n".utf8) }
    request.append(contentsOf: "\r\n".utf8)
    request.append(contentsOf: body)
    return await withCheckedContinuation { continuation in
      jobs.withLock { $0.append(Job(request: request) { continuation.resume(returning: $0) }) }
      wake.signal()
    }
  }

  private func serve(_ connection: WebhookConnection) {
    while true {
      wake.wait()
      guard let job = jobs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { continue }
      do throws(WebhookConnection.Failure) {
        job.done(.success(try connection.exchange(job.request)))
      } catch {
        job.done(.failure(error))
      }
    }
  }
}

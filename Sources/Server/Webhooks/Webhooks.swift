import Protocol

/// The backend's side: events queued in the store's outbox (durable, in order per user),
/// signed and POSTed to `GATEWAY_WEBHOOK_URL` by `WebhookSender`, retried with capped
/// exponential backoff until `GATEWAY_WEBHOOK_RETRY_S`. 2xx is delivered, 410 is dropped for
/// good, anything else (or no answer in time) is retried.
struct Webhooks: Sendable {
  let store: any MessageStore
  let sender: WebhookSender
  let signer: WebhookSigner
  let metrics: Metrics
  let logger: Logger
  /// Milliseconds an event is retried before it is given up.
  let retryWindow: Int64
  /// Client events forwarded as `client.event` (`*`: every event the gateway does not handle).
  let clientEvents: Set<String>
  /// Answer forwarded client events' acks with the backend's JSON answer.
  let clientEventsSync: Bool
  /// Wakes the dispatcher when events are queued.
  let wake: AsyncStream<Void>.Continuation
  let wakes: AsyncStream<Void>

  init(
    store: any MessageStore, sender: WebhookSender, signer: WebhookSigner, metrics: Metrics,
    logger: Logger, retrySeconds: Int, clientEvents: [String], clientEventsSync: Bool
  ) {
    self.store = store
    self.sender = sender
    self.signer = signer
    self.metrics = metrics
    self.logger = logger
    retryWindow = Int64(retrySeconds) * 1000
    self.clientEvents = Set(clientEvents)
    self.clientEventsSync = clientEventsSync
    (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
  }

  /// Queues events (committed when this returns) and wakes the dispatcher.
  func enqueue(_ events: [WebhookEvent]) async throws(StoreError) {
    try await store.enqueueWebhooks(events)
    wake.yield()
  }

  /// Ends `run` (at shutdown) once the deliveries in flight are answered or time out.
  func stop() {
    wake.finish()
  }

  /// Queues events; a store failure is logged (the event is lost, and said so).
  func enqueueOrLog(_ events: [WebhookEvent]) async {
    do {
      try await enqueue(events)
    } catch {
      logger.error(
        "webhook events not queued", ["error": error.message, "count": "\(events.count)"])
    }
  }

  /// Sends one event now (a sync client event): the backend's JSON answer, or a failure.
  func sendNow(_ event: WebhookEvent) async -> JSONValue {
    let headers = signer.headers(
      id: event.id, timestamp: Clock.unixMilliseconds() / 1000, body: event.body)
    switch await sender.post(event.body, headers: headers) {
    case .success(let answer) where (200..<300).contains(answer.status):
      if let value = try? JSONParser.parse(answer.body) { return value }
      return .object(JSONObject([("success", .bool(true))]))
    case .success(let answer):
      return Self.failure("The backend answered \(answer.status)")
    case .failure(let error):
      return Self.failure("The backend did not answer: \(error.message)")
    }
  }

  static func failure(_ message: String) -> JSONValue {
    .object(JSONObject([("success", .bool(false)), ("message", .string(message))]))
  }
}

import Protocol

extension RedisMessageStore {
  func enqueueWebhooks(_ events: [WebhookEvent]) async throws(StoreError) {
    guard !events.isEmpty else { return }
    var values: [[UInt8]] = [Array(settings.prefix.utf8)]
    for event in events {
      values += [
        Array(event.id.utf8), Array(event.userKey.utf8), event.body,
        Array(String(event.createdAt).utf8),
      ]
    }
    _ = try await run(RedisScripts.enqueueWebhooks, values)
  }

  func dueWebhooks(now: Int64, limit: Int, busy: Set<String>) async throws(StoreError)
    -> [QueuedWebhook]
  {
    let reply = try await run(
      RedisScripts.dueWebhooks,
      arguments(
        [String(now), String(limit), String(settings.webhookLeaseMilliseconds)] + Array(busy)))
    guard let values = reply.elements, values.count % 6 == 0 else {
      throw StoreError("Redis answered the due webhooks with something unexpected")
    }
    return stride(from: 0, to: values.count, by: 6).map {
      QueuedWebhook(
        seq: values[$0].number,
        event: WebhookEvent(
          id: values[$0 + 1].string ?? "", userKey: values[$0 + 2].string ?? "",
          body: values[$0 + 3].bytes ?? [], createdAt: values[$0 + 4].number),
        attempts: Int(values[$0 + 5].number))
    }
  }

  func finishWebhook(seq: Int64) async throws(StoreError) {
    _ = try await run(RedisScripts.finishWebhook, arguments([String(seq)]))
  }

  func retryWebhook(seq: Int64, attempts: Int, nextAt: Int64) async throws(StoreError) {
    _ = try await run(
      RedisScripts.retryWebhook, arguments([String(seq), String(attempts), String(nextAt)]))
  }

  func webhookBacklog() async throws(StoreError) -> Int {
    Int(try await counts(now: Clock.unixMilliseconds()).webhookBacklog)
  }
}

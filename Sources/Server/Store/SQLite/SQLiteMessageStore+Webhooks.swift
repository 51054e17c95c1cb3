extension SQLiteMessageStore {
  func enqueueWebhooks(_ events: [WebhookEvent]) async throws(StoreError) {
    guard !events.isEmpty else { return }
    try await writer.perform { connection throws(StoreError) in
      try Self.insertWebhooks(events, on: connection)
    }
  }

  /// Inserts outbox rows inside the caller's transaction (receipts and expiry queue theirs in
  /// the same commit as the state change they report).
  static func insertWebhooks(_ events: [WebhookEvent], on connection: SQLiteConnection)
    throws(StoreError)
  {
    let insert = try connection.statement(
      """
      INSERT INTO webhook_outbox(event_id, user_key, body, created_at, next_at)
      VALUES(?, ?, ?, ?, ?)
      """)
    for event in events {
      insert.reset()
      try insert.bind(
        .text(event.id), .text(event.userKey), .blob(event.body), .integer(event.createdAt),
        .integer(event.createdAt)
      ).run()
    }
  }

  func dueWebhooks(now: Int64, limit: Int, busy: Set<String>) async throws(StoreError)
    -> [QueuedWebhook]
  {
    try await reader.perform { connection throws(StoreError) in
      // Each user's oldest event, if its time has come.
      let select = try connection.statement(
        """
        SELECT o.seq, o.event_id, o.user_key, o.body, o.created_at, o.attempts
        FROM webhook_outbox o
        WHERE o.seq = (SELECT min(seq) FROM webhook_outbox WHERE user_key = o.user_key)
          AND o.next_at <= ?
        ORDER BY o.seq LIMIT ?
        """)
      select.bind(.integer(now), .integer(Int64(limit + busy.count)))
      var due: [QueuedWebhook] = []
      while try select.step(), due.count < limit {
        let userKey = select.text(2)
        guard !busy.contains(userKey) else { continue }
        due.append(
          QueuedWebhook(
            seq: select.integer(0),
            event: WebhookEvent(
              id: select.text(1), userKey: userKey, body: select.blob(3),
              createdAt: select.integer(4)),
            attempts: Int(select.integer(5))))
      }
      return due
    }
  }

  func finishWebhook(seq: Int64) async throws(StoreError) {
    try await writer.perform { connection throws(StoreError) in
      try connection.statement("DELETE FROM webhook_outbox WHERE seq = ?").bind(.integer(seq)).run()
    }
  }

  func retryWebhook(seq: Int64, attempts: Int, nextAt: Int64) async throws(StoreError) {
    try await writer.perform { connection throws(StoreError) in
      try connection.statement("UPDATE webhook_outbox SET attempts = ?, next_at = ? WHERE seq = ?")
        .bind(.integer(Int64(attempts)), .integer(nextAt), .integer(seq)).run()
    }
  }

  func webhookBacklog() async throws(StoreError) -> Int {
    try await reader.perform { connection throws(StoreError) in
      let count = try connection.statement("SELECT count(*) FROM webhook_outbox")
      return try count.step() ? Int(count.integer(0)) : 0
    }
  }
}

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
    // A user whose oldest event is waiting for a retry holds the new one back too: every
    // event of a user is due no earlier than the one before it, so the due events in `seq`
    // order always start with each user's oldest.
    let insert = try connection.statement(
      """
      INSERT INTO webhook_outbox(event_id, user_key, body, created_at, next_at)
      VALUES(?, ?, ?, ?, max(?, coalesce(
        (SELECT next_at FROM webhook_outbox WHERE user_key = ? ORDER BY seq LIMIT 1), 0)))
      """)
    for event in events {
      insert.reset()
      try insert.bind(
        .text(event.id), .text(event.userKey), .blob(event.body), .integer(event.createdAt),
        .integer(event.createdAt), .text(event.userKey)
      ).run()
    }
  }

  func dueWebhooks(now: Int64, limit: Int, busy: Set<String>) async throws(StoreError)
    -> [QueuedWebhook]
  {
    try await reader.perform { connection throws(StoreError) in
      // Due events in order, users in flight left out; the first of each user is its oldest
      // (see `insertWebhooks`). Reading a few times `limit` rows finds enough users.
      let busyList = Array(busy)
      let placeholders = Array(repeating: "?", count: busyList.count).joined(separator: ",")
      let select = try connection.statement(
        """
        SELECT seq, event_id, user_key, body, created_at, attempts FROM webhook_outbox
        WHERE next_at <= ?\(busyList.isEmpty ? "" : " AND user_key NOT IN (\(placeholders))")
        ORDER BY seq LIMIT ?
        """)
      try Self.bind(
        select, [.integer(now)] + busyList.map { .text($0) } + [.integer(Int64(max(64, limit * 8)))]
      )
      var due: [QueuedWebhook] = []
      var seen = Set<String>()
      while due.count < limit, try select.step() {
        let userKey = select.text(2)
        guard seen.insert(userKey).inserted else { continue }
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
      try connection.statement("UPDATE webhook_outbox SET attempts = ? WHERE seq = ?")
        .bind(.integer(Int64(attempts)), .integer(seq)).run()
      // The user's later events wait behind it (order per user).
      try connection.statement(
        """
        UPDATE webhook_outbox SET next_at = ?
        WHERE user_key = (SELECT user_key FROM webhook_outbox WHERE seq = ?) AND next_at < ?
        """
      ).bind(.integer(nextAt), .integer(seq), .integer(nextAt)).run()
    }
  }

  func webhookBacklog() async throws(StoreError) -> Int {
    try await reader.perform { connection throws(StoreError) in
      let count = try connection.statement("SELECT count(*) FROM webhook_outbox")
      return try count.step() ? Int(count.integer(0)) : 0
    }
  }
}

extension SQLiteMessageStore {
  func counts(now: Int64) async throws(StoreError) -> StoreCounts {
    try await reader.perform { connection throws(StoreError) in
      func count(_ sql: String, _ values: SQLiteValue...) throws(StoreError) -> Int {
        let statement = try connection.statement(sql)
        for (index, value) in values.enumerated() { statement.bind(at: Int32(index + 1), value) }
        return try statement.step() ? Int(statement.integer(0)) : 0
      }
      return StoreCounts(
        queued: try count(
          "SELECT count(*) FROM entries WHERE state = 0 AND expires_at > ?", .integer(now)),
        expired: try count(
          "SELECT count(*) FROM entries WHERE state = 4 OR (state <= 1 AND expires_at <= ?)",
          .integer(now)),
        webhookBacklog: try count("SELECT count(*) FROM webhook_outbox"))
    }
  }
}

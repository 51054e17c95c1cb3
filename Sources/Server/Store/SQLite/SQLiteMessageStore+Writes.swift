extension SQLiteMessageStore {
  func append(
    _ request: AppendRequest,
    committed: @escaping @Sendable (Result<AppendResult, StoreError>) -> Void
  ) {
    let settings = settings
    writer.submit(
      SQLiteWorker.Job(
        run: { connection throws(StoreError) in
          let result = try Self.append(request, settings: settings, on: connection)
          return { committed(.success(result)) }
        },
        fail: { committed(.failure($0)) }))
  }

  func saveAnswer(idempotencyKey: String, status: Int, body: [UInt8]) {
    writer.submit(
      SQLiteWorker.Job(
        run: { connection throws(StoreError) in
          try connection.statement("UPDATE idempotency SET status = ?, answer = ? WHERE key = ?")
            .bind(.integer(Int64(status)), .blob(body), .text(idempotencyKey)).run()
          return {}
        }, fail: { _ in }))
  }

  func markSent(_ positions: [UserPosition], at now: Int64) {
    guard !positions.isEmpty else { return }
    writer.submit(
      SQLiteWorker.Job(
        run: { connection throws(StoreError) in
          let update = try connection.statement(
            """
            UPDATE entries SET state = 1, sent_at = ?
            WHERE user_id = ? AND seq = ? AND state = 0
              AND (SELECT epoch FROM logs WHERE logs.user_id = entries.user_id) = ?
            """)
          for position in positions {
            update.reset()
            try update.bind(
              .integer(now), .text(position.userID), .integer(position.offset.sequence),
              .text(position.offset.epoch)
            ).run()
          }
          return {}
        }, fail: { _ in }))
  }

  func markDelivered(userID: String, upTo offset: LogOffset, at now: Int64)
    async throws(StoreError) -> [ReadReceipt]
  {
    let webhooks = settings.webhooks
    return try await writer.perform { connection throws(StoreError) in
      guard try Self.currentEpoch(of: userID, on: connection) == offset.epoch else { return [] }
      let condition = "user_id = ? AND seq <= ? AND state <= 1 AND expires_at > ?"
      let values: [SQLiteValue] = [.text(userID), .integer(offset.sequence), .integer(now)]
      let moved = try Self.receipts(where: condition, values, on: connection)
      let update = try connection.statement(
        "UPDATE entries SET state = 2, delivered_at = ?, sent_at = coalesce(sent_at, ?) WHERE \(condition)"
      )
      try Self.bind(update, [.integer(now), .integer(now)] + values)
      try update.run()
      if webhooks {
        try Self.queueReceipts(moved, "message.delivered", userID: userID, now: now, on: connection)
      }
      return moved
    }
  }

  /// Queues a `message.delivered` / `message.read` webhook per copy, in the same commit.
  private static func queueReceipts(
    _ receipts: [ReadReceipt], _ type: String, userID: String, now: Int64,
    on connection: SQLiteConnection
  ) throws(StoreError) {
    try insertWebhooks(
      receipts.map {
        WebhookEvents.messageState(
          type, messageID: $0.messageID, userID: userID, room: $0.room, now: now)
      }, on: connection)
  }

  /// The copies matching `condition` (over `entries`), with their messages' authors and rooms.
  static func receipts(
    where condition: String, _ values: [SQLiteValue], on connection: SQLiteConnection
  ) throws(StoreError) -> [ReadReceipt] {
    let select = try connection.statement(
      """
      SELECT message_id, (SELECT from_user FROM messages WHERE id = message_id),
        (SELECT room FROM messages WHERE id = message_id) FROM entries WHERE \(condition)
      """)
    try bind(select, values)
    var receipts: [ReadReceipt] = []
    while try select.step() {
      receipts.append(
        ReadReceipt(
          messageID: select.text(0), from: select.optionalText(1), room: select.optionalText(2)))
    }
    return receipts
  }

  func markRead(userID: String, selection: ReadSelection, at now: Int64)
    async throws(StoreError) -> [ReadReceipt]
  {
    let webhooks = settings.webhooks
    return try await writer.perform { connection throws(StoreError) in
      let filter: String
      var values: [SQLiteValue]
      switch selection {
      case .messageIDs(let ids):
        filter = "message_id IN (\(Array(repeating: "?", count: ids.count).joined(separator: ",")))"
        values = ids.map { .text($0) }
      case .upTo(let offset):
        guard try Self.currentEpoch(of: userID, on: connection) == offset.epoch else { return [] }
        filter = "seq <= ?"
        values = [.integer(offset.sequence)]
      }
      let condition = "user_id = ? AND \(filter) AND state <= 2 AND expires_at > ?"
      let receipts = try Self.receipts(
        where: condition, [.text(userID)] + values + [.integer(now)], on: connection)
      let update = try connection.statement(
        """
        UPDATE entries SET state = 3, read_at = ?, delivered_at = coalesce(delivered_at, ?),
          sent_at = coalesce(sent_at, ?) WHERE \(condition)
        """)
      try Self.bind(
        update,
        [.integer(now), .integer(now), .integer(now), .text(userID)] + values + [.integer(now)])
      try update.run()
      if webhooks {
        try Self.queueReceipts(receipts, "message.read", userID: userID, now: now, on: connection)
      }
      return receipts
    }
  }

  func deleteHistory(userID: String) async throws(StoreError) -> Int {
    try await writer.perform { connection throws(StoreError) in
      try connection.statement("DELETE FROM entries WHERE user_id = ?").bind(.text(userID)).run()
      let deleted = connection.changes
      // A new epoch on the next append: offsets handed out before recover nothing.
      try connection.statement("DELETE FROM logs WHERE user_id = ?").bind(.text(userID)).run()
      return deleted
    }
  }

  /// Binds a variable number of values in order.
  static func bind(_ statement: SQLiteStatement, _ values: [SQLiteValue]) throws(StoreError) {
    for (index, value) in values.enumerated() {
      statement.bind(at: Int32(index + 1), value)
    }
  }

  static func currentEpoch(of userID: String, on connection: SQLiteConnection) throws(StoreError)
    -> String?
  {
    let select = try connection.statement("SELECT epoch FROM logs WHERE user_id = ?")
    select.bind(.text(userID))
    return try select.step() ? select.text(0) : nil
  }
}

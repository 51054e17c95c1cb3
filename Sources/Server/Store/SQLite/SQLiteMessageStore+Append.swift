extension SQLiteMessageStore {
  /// The append, inside the writer's batch: idempotency check, the message row, then per
  /// recipient the next sequence, the collapse of a queued predecessor, the entry, and the
  /// trim to `maxPerUser`.
  static func append(_ request: AppendRequest, settings: Settings, on connection: SQLiteConnection)
    throws(StoreError) -> AppendResult
  {
    let retention = Int64(settings.historyTTLSeconds) * 1000
    if let key = request.idempotencyKey {
      let seen = try connection.statement(
        "SELECT message_id, status, answer FROM idempotency WHERE key = ? AND expires_at > ?")
      seen.bind(.text(key), .integer(request.now))
      if try seen.step() {
        return .duplicate(
          messageID: seen.text(0), status: seen.optionalInteger(1).map { Int($0) },
          answer: seen.isNull(2) ? nil : seen.blob(2))
      }
      try connection.statement(
        "INSERT OR REPLACE INTO idempotency(key, message_id, expires_at) VALUES(?, ?, ?)"
      ).bind(.text(key), .text(""), .integer(request.now + retention)).run()
    }
    let messageID = RandomID.make()
    if request.idempotencyKey != nil {
      try connection.statement("UPDATE idempotency SET message_id = ? WHERE key = ?")
        .bind(.text(messageID), .optional(request.idempotencyKey)).run()
    }
    try connection.statement(
      "INSERT INTO messages(id, event, payload, from_user, room, created_at) VALUES(?,?,?,?,?,?)"
    ).bind(
      .text(messageID), .text(request.event), .blob(request.messageJSON), .optional(request.from),
      .optional(request.room), .integer(request.now)
    ).run()
    let lifetime = min(retention, request.ttlSeconds.map { Int64($0) * 1000 } ?? retention)
    var entries: [UserPosition] = []
    entries.reserveCapacity(request.recipients.count)
    for userID in request.recipients {
      let offset = try nextOffset(for: userID, on: connection)
      if let key = request.collapseKey {
        try connection.statement(
          "UPDATE entries SET state = 5 WHERE user_id = ? AND collapse_key = ? AND state = 0"
        ).bind(.text(userID), .text(key)).run()
      }
      try connection.statement(
        """
        INSERT INTO entries(user_id, seq, message_id, state, expires_at, collapse_key)
        VALUES(?, ?, ?, 0, ?, ?)
        """
      ).bind(
        .text(userID), .integer(offset.sequence), .text(messageID),
        .integer(request.now + lifetime), .optional(request.collapseKey)
      ).run()
      if offset.sequence > Int64(settings.maxPerUser) {
        try connection.statement("DELETE FROM entries WHERE user_id = ? AND seq <= ?")
          .bind(.text(userID), .integer(offset.sequence - Int64(settings.maxPerUser))).run()
      }
      entries.append(UserPosition(userID: userID, offset: offset))
    }
    return .appended(
      AppendedMessage(
        messageID: messageID, event: request.event, messageJSON: request.messageJSON,
        entries: entries))
  }

  /// Advances the user's log by one, creating it (with a new epoch) on first use.
  private static func nextOffset(for userID: String, on connection: SQLiteConnection)
    throws(StoreError) -> LogOffset
  {
    // One statement for the common case: advance the counter and read it back.
    let advance = try connection.statement(
      "UPDATE logs SET last_seq = last_seq + 1 WHERE user_id = ? RETURNING epoch, last_seq")
    advance.bind(.text(userID))
    if try advance.step() {
      let offset = LogOffset(epoch: advance.text(0), sequence: advance.integer(1))
      advance.reset()
      return offset
    }
    advance.reset()
    let offset = LogOffset(epoch: LogOffset.newEpoch(), sequence: 1)
    try connection.statement("INSERT INTO logs(user_id, epoch, last_seq) VALUES(?, ?, 1)")
      .bind(.text(userID), .text(offset.epoch)).run()
    return offset
  }
}

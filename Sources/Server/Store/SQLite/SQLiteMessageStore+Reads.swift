extension SQLiteMessageStore {
  /// Columns of a replayed or listed entry, joined with its message.
  private static let entryColumns = """
    SELECT e.seq, e.message_id, m.event, m.payload, m.created_at, e.state, e.expires_at,
      m.from_user FROM entries e JOIN messages m ON m.id = e.message_id
    """

  func history(userID: String, after: LogOffset?, limit: Int, now: Int64)
    async throws(StoreError) -> HistoryPage
  {
    try await reader.perform { connection throws(StoreError) in
      let head = try Self.head(of: userID, on: connection)
      let start = after.flatMap { $0.epoch == head.epoch ? $0.sequence : nil } ?? 0
      var entries = try Self.entries(
        userID, epoch: head.epoch,
        where: "e.seq > ? AND e.state != 5 AND e.expires_at > ?",
        [.integer(start), .integer(now)], limit: limit + 1, now: now, on: connection)
      var next: LogOffset?
      if entries.count > limit {
        entries.removeLast()
        next = entries.last?.offset
      }
      return HistoryPage(entries: entries, next: next)
    }
  }

  func queued(userID: String, now: Int64) async throws(StoreError) -> LogRead {
    let limit = settings.maxPerUser
    return try await reader.perform { connection throws(StoreError) in
      let head = try Self.head(of: userID, on: connection)
      let entries = try Self.entries(
        userID, epoch: head.epoch, where: "e.state = 0 AND e.expires_at > ?", [.integer(now)],
        limit: limit, now: now, on: connection)
      return LogRead(entries: entries, head: head)
    }
  }

  func recover(userID: String, after offset: LogOffset, limit: Int, now: Int64)
    async throws(StoreError) -> LogRead?
  {
    try await reader.perform { connection throws(StoreError) in
      let head = try Self.head(of: userID, on: connection)
      let missing = head.sequence - offset.sequence
      // `none.0` is the position of a user who had no log yet: the start of whatever
      // log exists now.
      let sameLog = offset.epoch == head.epoch || (offset.epoch == "none" && offset.sequence == 0)
      guard sameLog, missing >= 0, missing <= Int64(limit) else { return nil }
      // Every sequence after the offset must still be there: collapsed ones count (they
      // were replaced, not lost), expired or trimmed ones do not.
      let count = try connection.statement(
        """
        SELECT count(*) FROM entries WHERE user_id = ? AND seq > ?
          AND (state = 5 OR (state != 4 AND expires_at > ?))
        """)
      count.bind(.text(userID), .integer(offset.sequence), .integer(now))
      guard try count.step(), count.integer(0) == missing else { return nil }
      let entries = try Self.entries(
        userID, epoch: head.epoch, where: "e.seq > ? AND e.state != 5",
        [.integer(offset.sequence)], limit: Int(missing), now: now, on: connection)
      return LogRead(entries: entries, head: head)
    }
  }

  func message(id: String, now: Int64) async throws(StoreError) -> MessageRecord? {
    try await reader.perform { connection throws(StoreError) in
      let select = try connection.statement(
        "SELECT event, payload, created_at, from_user, room FROM messages WHERE id = ?")
      select.bind(.text(id))
      guard try select.step() else { return nil }
      var record = MessageRecord(
        messageID: id, event: select.text(0), messageJSON: select.blob(1),
        createdAt: select.integer(2), from: select.optionalText(3), room: select.optionalText(4),
        recipients: [])
      let recipients = try connection.statement(
        """
        SELECT e.user_id, l.epoch, e.seq, e.state, e.expires_at, e.sent_at, e.delivered_at,
          e.read_at FROM entries e JOIN logs l ON l.user_id = e.user_id
        WHERE e.message_id = ? AND e.state != 5 ORDER BY e.user_id
        """)
      recipients.bind(.text(id))
      while try recipients.step() {
        record.recipients.append(
          MessageRecord.Recipient(
            userID: recipients.text(0),
            offset: LogOffset(epoch: recipients.text(1), sequence: recipients.integer(2)),
            state: MessageState.visible(
              stored: recipients.integer(3), expiresAt: recipients.integer(4), now: now),
            sentAt: recipients.optionalInteger(5), deliveredAt: recipients.optionalInteger(6),
            readAt: recipients.optionalInteger(7)))
      }
      return record
    }
  }

  /// The user's last offset (sequence 0 in a fresh epoch when the user has no log yet; that
  /// epoch is not stored, so a later first append starts another and the offset recovers
  /// nothing, which is right: the socket had nothing to miss before it).
  static func head(of userID: String, on connection: SQLiteConnection) throws(StoreError)
    -> LogOffset
  {
    let select = try connection.statement("SELECT epoch, last_seq FROM logs WHERE user_id = ?")
    select.bind(.text(userID))
    guard try select.step() else { return LogOffset(epoch: "none", sequence: 0) }
    return LogOffset(epoch: select.text(0), sequence: select.integer(1))
  }

  private static func entries(
    _ userID: String, epoch: String, where filter: String, _ values: [SQLiteValue], limit: Int,
    now: Int64, on connection: SQLiteConnection
  ) throws(StoreError) -> [StoredEntry] {
    let select = try connection.statement(
      "\(entryColumns) WHERE e.user_id = ? AND \(filter) ORDER BY e.seq LIMIT ?")
    try bind(select, [.text(userID)] + values + [.integer(Int64(limit))])
    var entries: [StoredEntry] = []
    while try select.step() {
      entries.append(
        StoredEntry(
          offset: LogOffset(epoch: epoch, sequence: select.integer(0)),
          messageID: select.text(1), event: select.text(2), messageJSON: select.blob(3),
          createdAt: select.integer(4),
          state: MessageState.visible(
            stored: select.integer(5), expiresAt: select.integer(6), now: now),
          from: select.optionalText(7)))
    }
    return entries
  }
}

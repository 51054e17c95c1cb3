import Protocol

extension RedisMessageStore {
  func history(userID: String, after: LogOffset?, limit: Int, now: Int64)
    async throws(StoreError) -> HistoryPage
  {
    let (read, _) = try await readLog(
      userID, mode: "history", after: after, limit: limit, now: now)
    var entries = read.entries
    var next: LogOffset?
    if entries.count > limit {
      entries.removeLast()
      next = entries.last?.offset
    }
    return HistoryPage(entries: entries, next: next)
  }

  func queued(userID: String, now: Int64) async throws(StoreError) -> LogRead {
    try await readLog(userID, mode: "queued", after: nil, limit: settings.maxPerUser, now: now).0
  }

  func recover(userID: String, after offset: LogOffset, limit: Int, now: Int64)
    async throws(StoreError) -> LogRead?
  {
    let (read, complete) = try await readLog(
      userID, mode: "recover", after: offset, limit: limit, now: now)
    return complete ? read : nil
  }

  /// Runs the read script; answers the entries with the head, and whether a recovery range
  /// was complete.
  private func readLog(
    _ userID: String, mode: String, after: LogOffset?, limit: Int, now: Int64
  ) async throws(StoreError) -> (LogRead, Bool) {
    let reply = try await run(
      RedisScripts.read,
      arguments([
        userID, mode, after?.epoch ?? "", String(after?.sequence ?? 0), String(limit),
        String(now),
      ]))
    guard let values = reply.elements, values.count >= 3, (values.count - 3) % 8 == 0 else {
      throw StoreError("Redis answered a log read with something unexpected")
    }
    let epoch = values[0].string ?? "none"
    var read = LogRead(entries: [], head: LogOffset(epoch: epoch, sequence: values[1].number))
    for base in stride(from: 3, to: values.count, by: 8) {
      read.entries.append(
        StoredEntry(
          offset: LogOffset(epoch: epoch, sequence: values[base].number),
          messageID: values[base + 1].string ?? "", event: values[base + 4].string ?? "",
          messageJSON: values[base + 5].bytes ?? [], createdAt: values[base + 6].number,
          state: MessageState.visible(
            stored: values[base + 2].number, expiresAt: values[base + 3].number, now: now),
          from: values[base + 7].optionalText))
    }
    return (read, values[2].number == 1)
  }

  func message(id: String, now: Int64) async throws(StoreError) -> MessageRecord? {
    let reply = try await run(RedisScripts.message, arguments([id]))
    guard let values = reply.elements else {
      throw StoreError("Redis answered a message read with something unexpected")
    }
    guard values.count >= 5, (values.count - 5) % 8 == 0 else { return nil }
    var record = MessageRecord(
      messageID: id, event: values[0].string ?? "", messageJSON: values[1].bytes ?? [],
      createdAt: values[2].number, from: values[3].optionalText, room: values[4].optionalText,
      recipients: [])
    func time(_ value: RESPValue) -> Int64? { value.string.flatMap { Int64($0) } }
    for base in stride(from: 5, to: values.count, by: 8) {
      record.recipients.append(
        MessageRecord.Recipient(
          userID: values[base].string ?? "",
          offset: LogOffset(
            epoch: values[base + 1].string ?? "", sequence: values[base + 2].number),
          state: MessageState.visible(
            stored: values[base + 3].number, expiresAt: values[base + 4].number, now: now),
          sentAt: time(values[base + 5]), deliveredAt: time(values[base + 6]),
          readAt: time(values[base + 7])))
    }
    record.recipients.sort { $0.userID.utf8.lexicographicallyPrecedes($1.userID.utf8) }
    return record
  }

  func counts(now: Int64) async throws(StoreError) -> StoreCounts {
    let reply = try await run(RedisScripts.counts, arguments([String(now)]))
    guard let values = reply.elements, values.count == 3 else {
      throw StoreError("Redis answered the counts with something unexpected")
    }
    return StoreCounts(
      queued: Int(values[0].number), expired: Int(values[1].number),
      webhookBacklog: Int(values[2].number))
  }
}

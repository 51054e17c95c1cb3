import Protocol

extension RedisMessageStore {
  func markDelivered(userID: String, upTo offset: LogOffset, at now: Int64)
    async throws(StoreError) -> [ReadReceipt]
  {
    let receipts = try await mark(
      userID, target: 2, now: now, ["upto", offset.epoch, String(offset.sequence)])
    try await queueReceipts(receipts, "message.delivered", userID: userID, now: now)
    return receipts
  }

  func markRead(userID: String, selection: ReadSelection, at now: Int64)
    async throws(StoreError) -> [ReadReceipt]
  {
    let selector: [String]
    switch selection {
    case .messageIDs(let ids): selector = ["ids"] + ids
    case .upTo(let offset): selector = ["upto", offset.epoch, String(offset.sequence)]
    }
    let receipts = try await mark(userID, target: 3, now: now, selector)
    try await queueReceipts(receipts, "message.read", userID: userID, now: now)
    return receipts
  }

  /// Runs the state-change script; answers the copies that moved.
  private func mark(_ userID: String, target: Int, now: Int64, _ selector: [String])
    async throws(StoreError) -> [ReadReceipt]
  {
    let reply = try await run(
      RedisScripts.mark, arguments([userID, String(now), String(target)] + selector))
    guard let values = reply.elements, values.count % 3 == 0 else {
      throw StoreError("Redis answered a state change with something unexpected")
    }
    return stride(from: 0, to: values.count, by: 3).map {
      ReadReceipt(
        messageID: values[$0].string ?? "", from: values[$0 + 1].optionalText,
        room: values[$0 + 2].optionalText)
    }
  }

  /// Queues a `message.delivered` / `message.read` webhook per copy when webhooks are on.
  /// Unlike SQLite this is a second step after the state change, not the same commit.
  private func queueReceipts(
    _ receipts: [ReadReceipt], _ type: String, userID: String, now: Int64
  ) async throws(StoreError) {
    guard settings.webhooks, !receipts.isEmpty else { return }
    try await enqueueWebhooks(
      receipts.map {
        WebhookEvents.messageState(
          type, messageID: $0.messageID, userID: userID, room: $0.room, now: now)
      })
  }

  func deleteHistory(userID: String) async throws(StoreError) -> Int {
    Int(try await run(RedisScripts.deleteHistory, arguments([userID])).number)
  }

  func changeMembers(room: String, add: [String], remove: [String]?) async throws(StoreError)
    -> RoomMembership
  {
    let mode = remove != nil ? "list" : add.isEmpty ? "all" : "none"
    let removing = remove ?? []
    let reply = try await run(
      RedisScripts.changeMembers,
      arguments([room, mode, String(removing.count)] + removing + add))
    guard let values = reply.elements, values.count >= 3, (values.count - 3) % 2 == 0 else {
      throw StoreError("Redis answered a room change with something unexpected")
    }
    var change = RoomMembership(room: room, members: [])
    change.added = Int(values[0].number)
    change.removed = Int(values[1].number)
    change.version = values[2].number
    for base in stride(from: 3, to: values.count, by: 2) {
      change.members.append((values[base].string ?? "", values[base + 1].number))
    }
    return change
  }

  func allMemberships() async throws(StoreError) -> [RoomMembership] {
    let reply = try await run(RedisScripts.allMemberships, arguments([]))
    guard let values = reply.elements else {
      throw StoreError("Redis answered the rooms with something unexpected")
    }
    var rooms: [RoomMembership] = []
    var index = 0
    while index + 1 < values.count {
      var room = RoomMembership(room: values[index].string ?? "", members: [])
      let count = Int(values[index + 1].number)
      index += 2
      for _ in 0..<count where index + 1 < values.count {
        room.members.append((values[index].string ?? "", values[index + 1].number))
        index += 2
      }
      rooms.append(room)
    }
    return rooms.sorted { $0.room.utf8.lexicographicallyPrecedes($1.room.utf8) }
  }
}

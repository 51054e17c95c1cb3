import Synchronization

extension SQLiteMessageStore {
  func changeMembers(room: String, add: [String], remove: [String]?) async throws(StoreError)
    -> RoomMembership
  {
    let clock = membershipClock
    return try await writer.perform { connection throws(StoreError) in
      var change = RoomMembership(room: room, members: [])
      if let remove {
        let delete = try connection.statement(
          "DELETE FROM room_members WHERE room = ? AND user_id = ?")
        for userID in remove {
          delete.reset()
          try delete.bind(.text(room), .text(userID)).run()
          change.removed += connection.changes
        }
      } else if add.isEmpty {
        try connection.statement("DELETE FROM room_members WHERE room = ?").bind(.text(room)).run()
        change.removed = connection.changes
      }
      let insert = try connection.statement(
        "INSERT OR IGNORE INTO room_members(room, user_id, added) VALUES(?, ?, ?)")
      for userID in add {
        insert.reset()
        try insert.bind(.text(room), .text(userID), .integer(clock.next())).run()
        change.added += connection.changes
      }
      let select = try connection.statement(
        "SELECT user_id, added FROM room_members WHERE room = ? ORDER BY added")
      select.bind(.text(room))
      while try select.step() { change.members.append((select.text(0), select.integer(1))) }
      change.version = clock.next()
      return change
    }
  }

  func allMemberships() async throws(StoreError) -> [RoomMembership] {
    try await reader.perform { connection throws(StoreError) in
      let select = try connection.statement(
        "SELECT room, user_id, added FROM room_members ORDER BY room, added")
      var rooms: [RoomMembership] = []
      while try select.step() {
        let room = select.text(0)
        if rooms.last?.room != room { rooms.append(RoomMembership(room: room, members: [])) }
        rooms[rooms.count - 1].members.append((select.text(1), select.integer(2)))
      }
      return rooms
    }
  }
}

/// The writer thread's counter for room positions and membership versions, started past the
/// largest position on disk.
final class MembershipClock: Sendable {
  private let value: Atomic<Int64>

  init(start: Int64) { value = Atomic(start) }

  /// The next number (called on the writer thread only; atomic so the type is `Sendable`).
  func next() -> Int64 { value.add(1, ordering: .relaxed).newValue }
}

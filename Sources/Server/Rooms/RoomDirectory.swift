import Synchronization

/// Every room's members in memory, mirrored from the store: typing, presence and room sends
/// ask it without touching the disk. The store stays the truth; each change's answer carries
/// a commit-ordered version, and an older answer never overwrites a newer one.
final class RoomDirectory: Sendable {
  private struct Room {
    var members: [(userID: String, position: Int64)] = []
    var memberSet: Set<String> = []
  }

  private struct State {
    var rooms: [String: Room] = [:]
    /// Last applied version per room name (kept after a room empties, so a late answer from
    /// before its deletion cannot bring it back).
    var versions: [String: Int64] = [:]
    /// user → room → the user's position in it.
    var userRooms: [String: [String: Int64]] = [:]
  }

  private let state = Mutex(State())

  /// Replaces every room (at start, from the store).
  func load(_ memberships: [RoomMembership]) {
    state.withLock { state in
      state = State()
      for membership in memberships { Self.apply(membership, to: &state) }
    }
  }

  /// Applies a change's answer unless a newer one was already applied.
  func apply(_ membership: RoomMembership) {
    state.withLock { state in
      guard membership.version > state.versions[membership.room] ?? -1 else { return }
      state.versions[membership.room] = membership.version
      Self.apply(membership, to: &state)
    }
  }

  private static func apply(_ membership: RoomMembership, to state: inout State) {
    let old = state.rooms[membership.room]?.memberSet ?? []
    let new = Set(membership.members.map(\.userID))
    for userID in old.subtracting(new) {
      state.userRooms[userID]?[membership.room] = nil
      if state.userRooms[userID]?.isEmpty == true { state.userRooms[userID] = nil }
    }
    for member in membership.members {
      state.userRooms[member.userID, default: [:]][membership.room] = member.position
    }
    state.rooms[membership.room] =
      new.isEmpty ? nil : Room(members: membership.members, memberSet: new)
  }

  /// A room's members in the order they were added; empty when it has none.
  func members(of room: String) -> [String] {
    state.withLock { $0.rooms[room]?.members.map(\.userID) ?? [] }
  }

  /// How many members a room has.
  func memberCount(of room: String) -> Int {
    state.withLock { $0.rooms[room]?.members.count ?? 0 }
  }

  /// A user's rooms in the order they joined them.
  func rooms(of userID: String) -> [String] {
    state.withLock { state in
      (state.userRooms[userID] ?? [:]).sorted { $0.value < $1.value }.map(\.key)
    }
  }

  /// How many rooms a user is in.
  func roomCount(of userID: String) -> Int {
    state.withLock { $0.userRooms[userID]?.count ?? 0 }
  }

  func isMember(_ userID: String, of room: String) -> Bool {
    state.withLock { $0.userRooms[userID]?[room] != nil }
  }

  /// Whether two users share at least one room.
  func shareRoom(_ first: String, _ second: String) -> Bool {
    state.withLock { state in
      guard let mine = state.userRooms[first], let theirs = state.userRooms[second] else {
        return false
      }
      let (small, large) = mine.count <= theirs.count ? (mine, theirs) : (theirs, mine)
      return small.keys.contains { large[$0] != nil }
    }
  }

  /// Everyone who shares a room with `userID`, without `userID`, each once.
  func coMembers(of userID: String) -> Set<String> {
    state.withLock { state in
      var result = Set<String>()
      for room in (state.userRooms[userID] ?? [:]).keys {
        result.formUnion(state.rooms[room]?.memberSet ?? [])
      }
      result.remove(userID)
      return result
    }
  }
}

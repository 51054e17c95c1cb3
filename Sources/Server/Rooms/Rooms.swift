/// Room membership: checks names and limits, writes the store, mirrors the answer into the
/// directory. Members are users: every socket of a member, present and future, is in the room.
struct Rooms: Sendable {
  /// Why a membership change was refused.
  enum Refusal: Error, Sendable {
    case invalidName
    case tooManyMembers(limit: Int)
    case tooManyRooms(userID: String, limit: Int)
    case store(StoreError)

    /// The sentence for a 4xx or an ack.
    var message: String {
      switch self {
      case .invalidName: RoomName.rule
      case .tooManyMembers(let limit): "a room holds at most \(limit) members"
      case .tooManyRooms(let userID, let limit): "user \(userID) is already in \(limit) rooms"
      case .store(let error): "Message store unavailable: \(error.message)"
      }
    }
  }

  let directory: RoomDirectory
  let store: any MessageStore
  /// `GATEWAY_ROOM_MAX_MEMBERS`.
  let maxMembers: Int
  /// `GATEWAY_USER_MAX_ROOMS`.
  let maxRoomsPerUser: Int
  /// Cluster mode: told of every change, so other nodes read the room again.
  var changes: (any RoomChangeListener)? = nil

  /// Fills the directory from the store (at start, and in cluster mode whenever the
  /// subscription to room changes comes back).
  func load() async throws(StoreError) {
    directory.load(try await store.allMemberships())
  }

  /// Reads one room again (cluster mode: another node changed it). An unchanged room's
  /// answer carries the version the directory has, so it changes nothing.
  func reload(_ room: String) async throws(StoreError) {
    guard RoomName.isValid(room) else { return }
    directory.apply(try await store.changeMembers(room: room, add: [], remove: []))
  }

  /// Adds users (each once, in order); over a limit nothing is added.
  func add(_ userIDs: [String], to room: String) async throws(Refusal) -> RoomMembership {
    guard RoomName.isValid(room) else { throw .invalidName }
    let newcomers = userIDs.filter { !directory.isMember($0, of: room) }
    guard directory.memberCount(of: room) + Set(newcomers).count <= maxMembers else {
      throw .tooManyMembers(limit: maxMembers)
    }
    if let full = newcomers.first(where: { directory.roomCount(of: $0) >= maxRoomsPerUser }) {
      throw .tooManyRooms(userID: full, limit: maxRoomsPerUser)
    }
    return try await change(room, add: userIDs, remove: [])
  }

  /// Removes users; nil removes every member (deletes the room).
  func remove(_ userIDs: [String]?, from room: String) async throws(Refusal) -> RoomMembership {
    guard RoomName.isValid(room) else { throw .invalidName }
    return try await change(room, add: [], remove: userIDs)
  }

  private func change(_ room: String, add: [String], remove: [String]?) async throws(Refusal)
    -> RoomMembership
  {
    do {
      let membership = try await store.changeMembers(room: room, add: add, remove: remove)
      directory.apply(membership)
      await changes?.roomChanged(room)
      return membership
    } catch {
      throw .store(error)
    }
  }
}

/// Hears of room changes made on this node (the cluster node tells the others).
protocol RoomChangeListener: Sendable {
  func roomChanged(_ room: String) async
}

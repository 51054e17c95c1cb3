import Protocol

/// A socket joining `/`: recovery of a dropped socket, or a fresh one with the offline queue.
extension Delivery {
  /// A CONNECT that asked to recover: its verified `pid`, and where to replay from.
  struct RecoveryRequest: Sendable {
    var pid: String
    var id: RecoveryID
    var from: LogOffset
  }

  /// What a joining socket gets before live pushes.
  struct JoinRead: Sendable {
    /// True when the socket resumes its old id and replays everything after its offset.
    var recovered: Bool
    var entries: [StoredEntry]
    var head: LogOffset
  }

  /// The recovery a CONNECT's `auth` asks for, if its `pid` is this user's and its `offset`
  /// (when given) is well formed; nil otherwise (a fresh socket).
  func recoveryRequest(auth: JSONValue?, userID: String) -> RecoveryRequest? {
    guard case .object(let object)? = auth, case .string(let pid)? = object["pid"],
      let id = RecoveryID(verifying: pid, userID: userID, with: recoveryAuthenticator)
    else { return nil }
    var from = id.position
    if let value = object["offset"], value != .null {
      guard case .string(let text) = value, let offset = LogOffset(parsing: text) else {
        return nil
      }
      from = offset
    }
    return RecoveryRequest(pid: pid, id: id, from: from)
  }

  /// Whether everything after the request's offset is still retained (a first look,
  /// before the socket registers under its old id).
  func canRecover(_ request: RecoveryRequest, userID: String) async -> Bool {
    let read = try? await store.recover(
      userID: userID, after: request.from, limit: recoveryLimit, now: Clock.unixMilliseconds())
    return read != nil
  }

  /// Closes a socket of `userID` with `socketID` whose transport still looks alive: the
  /// client came back on a new one before the old one's ping timeout.
  func evict(userID: String, socketID: String) async {
    for target in await registry.targets(for: userID) where target.socketID == socketID {
      await target.connection.close(.replaced)
    }
  }

  /// Reads what the registered socket must get first: the entries after its offset when
  /// recovering (nil if they are no longer all there), else the user's queued messages.
  /// A store that cannot be read gives a fresh socket with no queue (logged): the queued
  /// messages stay queued for a later connection.
  func read(for recovery: RecoveryRequest?, userID: String, logger: Logger) async -> JoinRead? {
    let now = Clock.unixMilliseconds()
    do throws(StoreError) {
      if let recovery {
        guard
          let read = try await store.recover(
            userID: userID, after: recovery.from, limit: recoveryLimit, now: now)
        else { return nil }
        return JoinRead(recovered: true, entries: read.entries, head: read.head)
      }
      let read = try await store.queued(userID: userID, now: now)
      return JoinRead(recovered: false, entries: read.entries, head: read.head)
    } catch {
      logger.error("store read failed", ["user": userID, "error": error.message])
      return recovery == nil
        ? JoinRead(recovered: false, entries: [], head: LogOffset(epoch: "none", sequence: 0))
        : nil
    }
  }

  /// The stored entries as events, in offset order.
  static func packets(for entries: [StoredEntry]) -> [OutboundPacket] {
    entries.map { packet(for: $0) }
  }

  /// Records that the queued ones among `entries` were written to a socket.
  func markSent(_ entries: [StoredEntry], userID: String) {
    let queued = entries.filter { $0.state == .queued }.map {
      UserPosition(userID: userID, offset: $0.offset)
    }
    store.markSent(queued, at: Clock.unixMilliseconds())
  }
}

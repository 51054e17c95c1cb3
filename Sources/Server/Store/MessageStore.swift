/// Durable per-user message logs: what must survive a restart (delivery.md).
///
/// One protocol for the embedded SQLite store (a file, or RAM with `memory`) and, in cluster
/// mode, Redis. Appends report through a callback that the store calls in commit order, so
/// the fan-out hands every user's entries to its sockets in offset order; reads are async and
/// never run on an actor or the event loop.
protocol MessageStore: Sendable {
  /// Appends one message to every recipient's log. `committed` is called once, after the
  /// commit (or with the failure), in the order the appends committed.
  func append(
    _ request: AppendRequest,
    committed: @escaping @Sendable (Result<AppendResult, StoreError>) -> Void)

  /// Records the REST answer of an idempotent request (written in the next batch).
  func saveAnswer(idempotencyKey: String, status: Int, body: [UInt8])

  /// Moves queued copies to `sent` (written in the next batch; losing it loses nothing but
  /// a state change).
  func markSent(_ positions: [UserPosition], at now: Int64)

  /// Everything of `userID` up to `offset` arrived; returns the copies that moved to
  /// `delivered`.
  func markDelivered(userID: String, upTo offset: LogOffset, at now: Int64)
    async throws(StoreError) -> [ReadReceipt]

  /// `userID` read these messages (by id, or everything up to an offset); returns the copies
  /// that moved to `read`, with their authors for receipts.
  func markRead(userID: String, selection: ReadSelection, at now: Int64)
    async throws(StoreError) -> [ReadReceipt]

  /// A page of `userID`'s retained messages after `after` (from the start when nil).
  func history(userID: String, after: LogOffset?, limit: Int, now: Int64)
    async throws(StoreError) -> HistoryPage

  /// The user's queued messages, oldest first, and the log's head (for a fresh socket).
  func queued(userID: String, now: Int64) async throws(StoreError) -> LogRead

  /// Every retained entry after `offset`, or nil when they are not all retained, the offset
  /// is from another epoch, or more than `limit` are missing (no partial recovery).
  func recover(userID: String, after offset: LogOffset, limit: Int, now: Int64)
    async throws(StoreError) -> LogRead?

  /// One message with each recipient's state; nil when unknown.
  func message(id: String, now: Int64) async throws(StoreError) -> MessageRecord?

  /// Erases the user's log; returns how many entries went. Old offsets then recover nothing.
  func deleteHistory(userID: String) async throws(StoreError) -> Int

  /// Adds users to a room (those already in it keep their place) or removes them (every
  /// member when `remove` is nil); answers the room as it stands after this change.
  func changeMembers(room: String, add: [String], remove: [String]?) async throws(StoreError)
    -> RoomMembership

  /// Queues webhook events in the outbox; returns once they are committed.
  func enqueueWebhooks(_ events: [WebhookEvent]) async throws(StoreError)

  /// The next event of each user whose turn has come (`next_at` passed), oldest users'
  /// first, leaving out users in `busy` (an event of theirs is in flight): a user's events
  /// leave in order, and one failing holds back only that user's later ones.
  func dueWebhooks(now: Int64, limit: Int, busy: Set<String>) async throws(StoreError)
    -> [QueuedWebhook]

  /// The event was delivered (or refused for good): it leaves the outbox.
  func finishWebhook(seq: Int64) async throws(StoreError)

  /// The event failed: try again at `nextAt` (unix ms).
  func retryWebhook(seq: Int64, attempts: Int, nextAt: Int64) async throws(StoreError)

  /// How many events wait in the outbox.
  func webhookBacklog() async throws(StoreError) -> Int

  /// Every room with its members (read once at start to fill the in-memory directory).
  func allMemberships() async throws(StoreError) -> [RoomMembership]

  /// Messages waiting for a socket, copies expired undelivered, and webhook events waiting
  /// (gauges for `/metrics`; each a count over the store, read per scrape).
  func counts(now: Int64) async throws(StoreError) -> StoreCounts

  /// The writer's counters.
  var metrics: StoreMetrics { get }

  /// The secret that signs recovery ids (`pid`s); changes when the store is wiped.
  var recoverySecret: [UInt8] { get }

  /// Finishes queued writes and closes.
  func close()
}

/// One message to append.
struct AppendRequest: Sendable {
  var event: String
  /// The `message` value as compact JSON.
  var messageJSON: [UInt8]
  /// Target users, each once, in request order.
  var recipients: [String]
  /// The author (`from`), for read receipts.
  var from: String? = nil
  /// The room it was sent to, if any.
  var room: String? = nil
  /// Lifetime in seconds; nil for the whole retention.
  var ttlSeconds: Int? = nil
  var collapseKey: String? = nil
  /// Idempotency key, already scoped to its caller.
  var idempotencyKey: String? = nil
  /// Unix milliseconds.
  var now: Int64
}

/// What an append did.
enum AppendResult: Sendable {
  /// Stored: one entry per recipient.
  case appended(AppendedMessage)
  /// The idempotency key was seen: the first request's message, and its answer once saved.
  case duplicate(messageID: String, status: Int?, answer: [UInt8]?)
}

/// A stored message and where it went.
struct AppendedMessage: Sendable {
  var messageID: String
  var event: String
  var messageJSON: [UInt8]
  /// One per recipient, in request order.
  var entries: [UserPosition]
  /// Per recipient, in order: whether another live node holds the user (the Redis store's
  /// append routed the message there); empty from the SQLite store.
  var remoteReached: [Bool] = []
}

/// One entry of one user's log.
struct UserPosition: Sendable, Hashable {
  var userID: String
  var offset: LogOffset
}

/// Which messages a `read` report names.
enum ReadSelection: Sendable {
  case messageIDs([String])
  case upTo(LogOffset)
}

/// A copy that moved to `read`, for `messageRead` receipts.
struct ReadReceipt: Sendable {
  var messageID: String
  var from: String?
  var room: String?
}

/// A retained entry, as replayed to a socket or listed in history.
struct StoredEntry: Sendable {
  var offset: LogOffset
  var messageID: String
  var event: String
  var messageJSON: [UInt8]
  var createdAt: Int64
  var state: MessageState
  var from: String?
}

/// Entries read in one snapshot, and the log's last offset at that moment.
struct LogRead: Sendable {
  var entries: [StoredEntry]
  var head: LogOffset
}

/// A page of history.
struct HistoryPage: Sendable {
  var entries: [StoredEntry]
  /// The offset to pass as `after` for the next page; nil at the end.
  var next: LogOffset?
}

/// One message with its recipients (`GET /api/gateway/messages/:id`).
struct MessageRecord: Sendable {
  struct Recipient: Sendable {
    var userID: String
    var offset: LogOffset
    var state: MessageState
    var sentAt: Int64?
    var deliveredAt: Int64?
    var readAt: Int64?
  }

  var messageID: String
  var event: String
  var messageJSON: [UInt8]
  var createdAt: Int64
  var from: String?
  var room: String?
  var recipients: [Recipient]
}

/// A room's members after a change, in the order they were added.
struct RoomMembership: Sendable {
  var room: String
  /// Each member with its position: a cluster-wide increasing number, so one user's rooms
  /// can be listed in the order they joined them.
  var members: [(userID: String, position: Int64)]
  /// How many members the change added and removed.
  var added = 0
  var removed = 0
  /// Increases with every membership change, in commit order: the in-memory directory never
  /// lets an older answer overwrite a newer one.
  var version: Int64 = 0
}

/// One webhook event to queue: signed and sent later, retried until the retry window passes.
struct WebhookEvent: Sendable {
  /// `webhook-id`: the same on every retry.
  var id: String
  /// Events with the same key leave in order (the user id).
  var userKey: String
  /// The JSON body, `{"type","timestamp","data"}`.
  var body: [UInt8]
  /// Unix milliseconds.
  var createdAt: Int64
}

/// An event in the outbox.
struct QueuedWebhook: Sendable {
  var seq: Int64
  var event: WebhookEvent
  var attempts: Int
}

/// Sizes of what the store holds, for `/metrics`.
struct StoreCounts: Sendable {
  var queued: Int
  var expired: Int
  var webhookBacklog: Int
}

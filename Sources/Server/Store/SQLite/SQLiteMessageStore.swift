import Glibc
import Synchronization

/// The embedded store: SQLite in WAL mode, one writer thread batching commits, one reader
/// thread with its own connection for history and replays. `memory` runs one private
/// in-RAM database on a single thread (reads and writes share it).
final class SQLiteMessageStore: MessageStore {
  /// How the store keeps messages.
  struct Settings: Sendable {
    /// Retention of every message, in seconds (`GATEWAY_HISTORY_TTL_S`).
    var historyTTLSeconds = 86_400
    /// Entries kept per user, oldest dropped first (`GATEWAY_HISTORY_MAX_PER_USER`).
    var maxPerUser = 1000
    /// `synchronous=FULL` (every commit fsynced) instead of `NORMAL`.
    var fsyncAlways = false
    /// Seconds between retention sweeps.
    var sweepIntervalSeconds = 30.0
    /// Whether receipts and expiry queue webhook events (a webhook URL is set).
    var webhooks = false
    /// Most megabytes the database file may grow to (0: no limit); past it writes fail as
    /// "disk full" (503), which is also what a full disk gives.
    var maxMegabytes = 0
  }

  let settings: Settings
  let recoverySecret: [UInt8]
  let writer: SQLiteWorker
  let reader: SQLiteWorker
  /// Copies the WAL into the database every second on a thread of its own (file stores), so
  /// the writer's commits only ever append to the WAL: an automatic checkpoint would run on
  /// the writer and fsync in the middle of a batch (p99 of a push 8 ms -> see BENCHMARKS.md).
  let checkpointer: SQLiteWorker?
  let membershipClock: MembershipClock
  let metrics = StoreMetrics()

  /// Opens the database file at `path` (its folder is created), or RAM for nil; runs the
  /// migrations. Throws one clear error when the file cannot be opened or written.
  init(path: String?, settings: Settings) throws(StoreError) {
    self.settings = settings
    if let path { try Self.makeParentDirectory(of: path) }
    let secret = SecretBox()
    let sweep: @Sendable (SQLiteConnection) -> Void = { connection in
      try? Self.sweep(connection, settings: settings, now: Clock.unixMilliseconds())
    }
    writer = try SQLiteWorker(
      name: "store writer", writes: true, metrics: metrics,
      maintenanceInterval: settings.sweepIntervalSeconds,
      maintenance: sweep
    ) { () throws(StoreError) in
      let connection = try SQLiteConnection(path: path ?? ":memory:")
      if path != nil {
        // 1 KiB pages: a push dirties a handful of pages (its message, its entry, the log's
        // counter, two indexes), each written whole to the WAL at commit; at 4 KiB that was
        // ~25 KB of WAL per commit. Takes effect only for a new database.
        try connection.execute("PRAGMA page_size = 1024")
        try connection.execute("PRAGMA journal_mode = WAL")
        try connection.execute("PRAGMA wal_autocheckpoint = 0")
        try connection.execute("PRAGMA journal_size_limit = 67108864")
        try connection.execute("PRAGMA synchronous = \(settings.fsyncAlways ? "FULL" : "NORMAL")")
      }
      if settings.maxMegabytes > 0 {
        // SQLite counts pages.
        let pageSize = try connection.statement("PRAGMA page_size")
        let bytes = try pageSize.step() ? max(pageSize.integer(0), 512) : 4096
        pageSize.reset()
        try connection.execute(
          "PRAGMA max_page_count = \(Int64(settings.maxMegabytes) * 1_048_576 / bytes)")
      }
      let made = try SQLiteSchema.migrate(connection)
      let position = try connection.statement("SELECT coalesce(max(added), 0) FROM room_members")
      let start = try position.step() ? position.integer(0) : 0
      position.reset()
      secret.value.withLock { $0 = made }
      secret.position.withLock { $0 = start }
      return connection
    }
    recoverySecret = secret.value.withLock { $0 }
    membershipClock = MembershipClock(start: secret.position.withLock { $0 })
    if let path {
      checkpointer = try SQLiteWorker(
        name: "store checkpointer", writes: false, maintenanceInterval: 1,
        maintenance: { connection in Self.checkpoint(connection) }
      ) { () throws(StoreError) in
        try SQLiteConnection(path: path)
      }
      reader = try SQLiteWorker(name: "store reader", writes: false) { () throws(StoreError) in
        let connection = try SQLiteConnection(path: path, readOnly: true)
        try connection.execute("PRAGMA query_only = 1")
        return connection
      }
    } else {
      reader = writer
      checkpointer = nil
    }
  }

  func close() {
    writer.stop()
    if reader !== writer { reader.stop() }
    checkpointer?.stop()
  }

  private static func makeParentDirectory(of path: String) throws(StoreError) {
    var prefix = ""
    let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
    for (index, part) in parts.enumerated() {
      prefix += (index == 0 ? "" : "/") + part
      guard !part.isEmpty, part != "." else { continue }
      if mkdir(prefix, 0o755) != 0, errno != EEXIST {
        throw StoreError("cannot create folder \(prefix): \(String(cString: strerror(errno)))")
      }
    }
  }

  /// Frames the WAL may hold before a checkpoint makes the writer wait for it (64 MiB of
  /// 1 KiB pages).
  static let walFrameLimit: Int64 = 65_536

  /// PASSIVE first: it never waits for the writer or readers, and what it cannot copy now it
  /// copies next second. Under a sustained storm the writer keeps the WAL from ever being
  /// copied whole; past `walFrameLimit` a RESTART checkpoint waits for the writer's current
  /// batch so the WAL starts over (and `journal_size_limit` trims the file).
  static func checkpoint(_ connection: SQLiteConnection) {
    guard let passive = try? connection.statement("PRAGMA wal_checkpoint(PASSIVE)"),
      (try? passive.step()) == true
    else { return }
    let frames = passive.integer(1)
    passive.reset()
    if frames > walFrameLimit { try? connection.execute("PRAGMA wal_checkpoint(RESTART)") }
  }

  /// Runs the retention sweep now, in the next batch (tests, and operators' tooling).
  func sweepNow(now: Int64) async throws(StoreError) {
    let settings = settings
    try await writer.perform { connection throws(StoreError) in
      try Self.sweepBody(connection, settings: settings, now: now)
    }
  }

  /// The periodic sweep, in a transaction of its own between batches.
  static func sweep(_ connection: SQLiteConnection, settings: Settings, now: Int64)
    throws(StoreError)
  {
    try connection.execute("BEGIN IMMEDIATE")
    do {
      try sweepBody(connection, settings: settings, now: now)
      connection.resetStatements()
      try connection.execute("COMMIT")
    } catch {
      connection.resetStatements()
      try? connection.execute("ROLLBACK")
      throw error
    }
  }

  /// Marks copies past their lifetime `expired` (queueing `message.expired` webhooks), then
  /// drops entries, messages and idempotency keys that are past the retention.
  private static func sweepBody(_ connection: SQLiteConnection, settings: Settings, now: Int64)
    throws(StoreError)
  {
    if settings.webhooks {
      let expiring = try connection.statement(
        "SELECT message_id, user_id FROM entries WHERE expires_at <= ? AND state <= 1")
      expiring.bind(.integer(now))
      var events: [WebhookEvent] = []
      while try expiring.step() {
        events.append(
          WebhookEvents.expired(messageID: expiring.text(0), userID: expiring.text(1), now: now))
      }
      try insertWebhooks(events, on: connection)
    }
    try connection.statement("UPDATE entries SET state = 4 WHERE expires_at <= ? AND state <= 1")
      .bind(.integer(now)).run()
    let horizon = now - Int64(settings.historyTTLSeconds) * 1000
    try connection.statement("DELETE FROM entries WHERE expires_at <= ?").bind(.integer(horizon))
      .run()
    try connection.statement(
      """
      DELETE FROM messages WHERE created_at <= ?
        AND NOT EXISTS (SELECT 1 FROM entries WHERE message_id = messages.id)
      """
    ).bind(.integer(horizon)).run()
    try connection.statement("DELETE FROM idempotency WHERE expires_at <= ?").bind(.integer(now))
      .run()
  }
}

/// Carries what the writer thread read at opening out of its closure.
private final class SecretBox: Sendable {
  let value = Mutex<[UInt8]>([])
  let position = Mutex<Int64>(0)
}

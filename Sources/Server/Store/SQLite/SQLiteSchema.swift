/// The store's schema, as numbered migrations run at start (`PRAGMA user_version` counts
/// the ones applied). A migration is never edited once released: add the next one.
enum SQLiteSchema {
  /// Migration `n` takes the schema from version `n` to `n + 1`.
  static let migrations: [String] = [
    """
    CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
    CREATE TABLE messages(
      id TEXT PRIMARY KEY, event TEXT NOT NULL, payload BLOB NOT NULL,
      from_user TEXT, room TEXT, created_at INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE logs(user_id TEXT PRIMARY KEY, epoch TEXT NOT NULL, last_seq INTEGER NOT NULL)
      WITHOUT ROWID;
    CREATE TABLE entries(
      user_id TEXT NOT NULL, seq INTEGER NOT NULL, message_id TEXT NOT NULL,
      state INTEGER NOT NULL, expires_at INTEGER NOT NULL, collapse_key TEXT,
      sent_at INTEGER, delivered_at INTEGER, read_at INTEGER,
      PRIMARY KEY(user_id, seq)) WITHOUT ROWID;
    CREATE INDEX entries_by_message ON entries(message_id);
    CREATE INDEX entries_by_collapse ON entries(user_id, collapse_key)
      WHERE collapse_key IS NOT NULL AND state = 0;
    CREATE INDEX entries_by_expiry ON entries(expires_at);
    CREATE TABLE idempotency(
      key TEXT PRIMARY KEY, message_id TEXT NOT NULL, status INTEGER, answer BLOB,
      expires_at INTEGER NOT NULL) WITHOUT ROWID;
    """,
    """
    CREATE TABLE room_members(
      room TEXT NOT NULL, user_id TEXT NOT NULL, added INTEGER NOT NULL,
      PRIMARY KEY(room, user_id)) WITHOUT ROWID;
    CREATE INDEX room_members_by_user ON room_members(user_id, room);
    """,
    """
    CREATE TABLE webhook_outbox(
      seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, user_key TEXT NOT NULL,
      body BLOB NOT NULL, created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
      next_at INTEGER NOT NULL);
    CREATE INDEX webhook_outbox_by_user ON webhook_outbox(user_key, seq);
    """,
  ]

  /// Brings the database to the newest version, each migration in its own transaction,
  /// and makes the recovery secret on first use; returns that secret.
  static func migrate(_ connection: SQLiteConnection) throws(StoreError) -> [UInt8] {
    let version = try connection.statement("PRAGMA user_version")
    guard try version.step() else { throw StoreError("cannot read the schema version") }
    let current = Int(version.integer(0))
    version.reset()
    guard current <= migrations.count else {
      throw StoreError(
        "the database has schema version \(current), newer than this gateway's \(migrations.count)"
      )
    }
    for index in current..<migrations.count {
      try connection.execute("BEGIN IMMEDIATE")
      do {
        try connection.execute(migrations[index])
        try connection.execute("PRAGMA user_version = \(index + 1)")
        try connection.execute("COMMIT")
      } catch {
        connection.resetStatements()
        try? connection.execute("ROLLBACK")
        throw error
      }
    }
    return try recoverySecret(connection)
  }

  private static func recoverySecret(_ connection: SQLiteConnection) throws(StoreError) -> [UInt8] {
    let select = try connection.statement("SELECT value FROM meta WHERE key = 'recovery_secret'")
    if try select.step() {
      let secret = select.blob(0)
      select.reset()
      if secret.count >= 32 { return secret }
    }
    select.reset()
    var secret: [UInt8] = []
    while secret.count < 32 { secret += Array(RandomID.make().utf8) }
    try connection.statement(
      "INSERT OR REPLACE INTO meta(key, value) VALUES('recovery_secret', ?)"
    ).bind(.blob(secret)).run()
    return secret
  }
}

import CSQLite

/// One SQLite connection, used by exactly one thread (`SQLiteWorker`'s), so it needs no
/// lock of its own: SQLite is built thread-safe, and each connection stays on its thread.
final class SQLiteConnection {
  private let handle: OpaquePointer
  private var statements: [String: SQLiteStatement] = [:]

  /// Opens (creating if needed) the database at `path`; `:memory:` for a private one in RAM.
  init(path: String, readOnly: Bool = false) throws(StoreError) {
    var handle: OpaquePointer?
    let flags =
      (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
      | SQLITE_OPEN_NOMUTEX
    let status = sqlite3_open_v2(path, &handle, flags, nil)
    guard status == SQLITE_OK, let handle else {
      let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
      sqlite3_close_v2(handle)
      throw StoreError("cannot open \(path): \(message)")
    }
    self.handle = handle
    // A reader waits briefly for a checkpoint instead of failing with SQLITE_BUSY.
    sqlite3_busy_timeout(handle, 5000)
    sqlite3_extended_result_codes(handle, 1)
  }

  deinit {
    statements.removeAll()
    sqlite3_close_v2(handle)
  }

  /// Runs one or more statements without results (pragmas, DDL, BEGIN/COMMIT).
  func execute(_ sql: String) throws(StoreError) {
    let status = sqlite3_exec(handle, sql, nil, nil, nil)
    guard status == SQLITE_OK else { throw error(status, sql) }
  }

  /// A prepared statement, cached by its text, reset and unbound for reuse.
  func statement(_ sql: String) throws(StoreError) -> SQLiteStatement {
    if let cached = statements[sql] {
      cached.reset()
      return cached
    }
    var raw: OpaquePointer?
    let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
    guard status == SQLITE_OK, let raw else { throw error(status, sql) }
    let statement = SQLiteStatement(raw, connection: self)
    statements[sql] = statement
    return statement
  }

  /// Resets every cached statement: one left on a row keeps its read snapshot open, so a
  /// reader would go on seeing the database as it was.
  func resetStatements() {
    for statement in statements.values { statement.reset() }
  }

  /// Rows changed by the last INSERT, UPDATE or DELETE.
  var changes: Int { Int(sqlite3_changes(handle)) }

  /// The typed error for `status`, naming what was being done.
  func error(_ status: Int32, _ context: String) -> StoreError {
    let message = String(cString: sqlite3_errmsg(handle))
    let what = context.split(separator: " ").prefix(3).joined(separator: " ")
    switch status & 0xFF {
    case SQLITE_FULL: return StoreError("disk full (\(what)): \(message)")
    case SQLITE_READONLY: return StoreError("database is read-only (\(what)): \(message)")
    case SQLITE_CORRUPT, SQLITE_NOTADB:
      return StoreError("database file is corrupt (\(what)): \(message)")
    default: return StoreError("sqlite error \(status) (\(what)): \(message)")
    }
  }
}

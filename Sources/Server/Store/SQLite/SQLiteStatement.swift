import CSQLite

/// A prepared statement of one `SQLiteConnection`: bind by 1-based index, step, read
/// columns by 0-based index.
final class SQLiteStatement {
  private let handle: OpaquePointer
  private unowned let connection: SQLiteConnection

  init(_ handle: OpaquePointer, connection: SQLiteConnection) {
    self.handle = handle
    self.connection = connection
  }

  deinit { sqlite3_finalize(handle) }

  /// Clears the last run and its bindings.
  func reset() {
    sqlite3_reset(handle)
    sqlite3_clear_bindings(handle)
  }

  /// Binds values in order, starting at parameter 1; returns self for chaining.
  @discardableResult
  func bind(_ values: SQLiteValue...) -> SQLiteStatement {
    for (index, value) in values.enumerated() {
      bind(at: Int32(index + 1), value)
    }
    return self
  }

  /// Binds one value to parameter `position` (1-based).
  func bind(at position: Int32, _ value: SQLiteValue) {
    switch value {
    case .null: sqlite3_bind_null(handle, position)
    case .integer(let number): sqlite3_bind_int64(handle, position, number)
    case .text(let text):
      // The byte length, not -1: with -1 SQLite stops at the first NUL, and the REST API's
      // idempotency keys are `caller NUL id` (every key of a caller was one key), while a
      // user id may hold "\u0000" in JSON.
      sqlite3_bind_text(
        handle, position, text, Int32(clamping: text.utf8.count), csqlite_transient())
    case .blob(let bytes):
      bytes.withUnsafeBytes {
        _ = sqlite3_bind_blob(
          handle, position, $0.baseAddress, Int32($0.count), csqlite_transient())
      }
    }
  }

  /// Advances to the next row: true for a row, false when done.
  func step() throws(StoreError) -> Bool {
    let status = sqlite3_step(handle)
    switch status {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    default: throw connection.error(status, String(cString: sqlite3_sql(handle)))
    }
  }

  /// Runs a statement that returns no rows.
  func run() throws(StoreError) {
    _ = try step()
  }

  func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

  func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

  func optionalInteger(_ column: Int32) -> Int64? {
    isNull(column) ? nil : integer(column)
  }

  func text(_ column: Int32) -> String {
    guard let pointer = sqlite3_column_text(handle, column) else { return "" }
    let count = Int(sqlite3_column_bytes(handle, column))
    return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
  }

  func optionalText(_ column: Int32) -> String? {
    isNull(column) ? nil : text(column)
  }

  func blob(_ column: Int32) -> [UInt8] {
    let count = Int(sqlite3_column_bytes(handle, column))
    guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return [] }
    return Array(UnsafeRawBufferPointer(start: pointer, count: count))
  }
}

/// A value bound to a statement parameter.
enum SQLiteValue {
  case null
  case integer(Int64)
  case text(String)
  case blob([UInt8])

  /// `.text` or `.null`.
  static func optional(_ text: String?) -> SQLiteValue { text.map { .text($0) } ?? .null }
  /// `.integer` or `.null`.
  static func optional(_ number: Int64?) -> SQLiteValue { number.map { .integer($0) } ?? .null }
}

import Glibc
import Synchronization

@testable import Server

/// Helpers for store tests: a fresh folder, a store in it, appends awaited to their commit.
enum StoreTestSupport {
  /// A new empty folder under /tmp.
  static func temporaryFolder() -> String {
    var template = Array("/tmp/gateway-store-XXXXXX".utf8CString)
    let path = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    return String(cString: path!)
  }

  static func settings(maxPerUser: Int = 1000, ttl: Int = 86_400) -> SQLiteMessageStore.Settings {
    var settings = SQLiteMessageStore.Settings()
    settings.maxPerUser = maxPerUser
    settings.historyTTLSeconds = ttl
    return settings
  }

  /// Appends and waits for the commit.
  static func append(
    _ store: any MessageStore, _ recipients: [String], event: String = "e", json: String = "1",
    now: Int64 = 1_000_000, ttl: Int? = nil, collapseKey: String? = nil, key: String? = nil,
    from: String? = nil
  ) async throws -> AppendResult {
    let request = AppendRequest(
      event: event, messageJSON: Array(json.utf8), recipients: recipients, from: from,
      ttlSeconds: ttl, collapseKey: collapseKey, idempotencyKey: key, now: now)
    let result = await withCheckedContinuation {
      (continuation: CheckedContinuation<Result<AppendResult, StoreError>, Never>) in
      store.append(request) { continuation.resume(returning: $0) }
    }
    return try result.get()
  }

  /// The appended message, failing the test for a duplicate.
  static func appended(_ result: AppendResult) throws -> AppendedMessage {
    guard case .appended(let message) = result else {
      throw StoreError("expected a new message, got a duplicate")
    }
    return message
  }
}

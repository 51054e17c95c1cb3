import Protocol

/// The JSON shapes of stored messages, shared by the REST API and the socket's `history` ack.
enum DeliveryJSON {
  /// Page size when none is asked for.
  static let defaultHistoryLimit = 50
  /// Largest page; larger requests are clamped.
  static let maxHistoryLimit = 500

  /// `{"userId"?,"messages":[…],"next":…}` (the socket's ack has no `userId`).
  static func historyPage(_ page: HistoryPage, userID: String?) -> JSONValue {
    var pairs: [(String, JSONValue)] = []
    if let userID { pairs.append(("userId", .string(userID))) }
    pairs.append(("messages", .array(page.entries.map(entry))))
    pairs.append(("next", page.next.map { .string($0.string) } ?? .null))
    return .object(JSONObject(pairs))
  }

  /// One history entry.
  static func entry(_ entry: StoredEntry) -> JSONValue {
    var pairs: [(String, JSONValue)] = [
      ("offset", .string(entry.offset.string)),
      ("messageId", .string(entry.messageID)),
      ("event", .string(entry.event)),
      ("message", value(entry.messageJSON)),
      ("createdAt", time(entry.createdAt)),
      ("state", .string(entry.state.name)),
    ]
    if let from = entry.from { pairs.append(("from", .string(from))) }
    return .object(JSONObject(pairs))
  }

  /// `GET /api/gateway/messages/:id`.
  static func message(_ record: MessageRecord) -> JSONValue {
    var pairs: [(String, JSONValue)] = [
      ("messageId", .string(record.messageID)),
      ("event", .string(record.event)),
      ("message", value(record.messageJSON)),
      ("createdAt", time(record.createdAt)),
    ]
    if let from = record.from { pairs.append(("from", .string(from))) }
    if let room = record.room { pairs.append(("room", .string(room))) }
    pairs.append(
      (
        "recipients",
        .array(
          record.recipients.map { recipient in
            .object(
              JSONObject([
                ("userId", .string(recipient.userID)),
                ("offset", .string(recipient.offset.string)),
                ("state", .string(recipient.state.name)),
                ("sentAt", recipient.sentAt.map(time) ?? .null),
                ("deliveredAt", recipient.deliveredAt.map(time) ?? .null),
                ("readAt", recipient.readAt.map(time) ?? .null),
              ]))
          })
      ))
    return .object(JSONObject(pairs))
  }

  /// An ISO 8601 time as JavaScript writes it.
  static func time(_ unixMilliseconds: Int64) -> JSONValue {
    .string(ISOTimestamp.string(fromUnixMilliseconds: unixMilliseconds))
  }

  /// Stored JSON bytes as a value (they were written by our own writer, so they parse).
  private static func value(_ bytes: [UInt8]) -> JSONValue {
    (try? JSONParser.parse(bytes, limits: storedLimits)) ?? .null
  }

  private static let storedLimits: JSONLimits = {
    var limits = JSONLimits()
    limits.maxBytes = 100_000_000
    limits.maxStringBytes = 100_000_000
    limits.maxDepth = 10_000
    return limits
  }()
}

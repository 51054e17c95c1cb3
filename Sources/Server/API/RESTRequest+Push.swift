import Protocol

extension RESTRequest {
  /// Durable-delivery options of `send` and `send-many`.
  struct PushOptions: Sendable {
    /// False: live only, nothing stored (the seed's behaviour).
    var persist = true
    /// Seconds the message may wait (clamped to the retention by the store).
    var ttlSeconds: Int?
    /// Idempotency key, as the caller gave it.
    var id: String?
    var collapseKey: String?
    /// The author, for read receipts.
    var from: String?
  }

  /// The stored form of an idempotency key: scoped to its caller and route, so two callers,
  /// or one caller's `send` and `send-many`, never answer each other's requests.
  static func idempotencyKey(caller: String, route: String, id: String) -> String {
    "\(caller)\u{0}\(route)\u{0}\(id)"
  }

  /// Longest `id`, `collapseKey` and `from`, in characters (Unicode scalars, as JSON Schema's
  /// `maxLength` counts them in the OpenAPI document).
  static let maxKeyLength = 200

  /// Reads `persist`, `ttl`, `id`, `collapseKey` and `from`, strictly typed.
  static func pushOptions(_ body: JSONObject) throws(Invalid) -> PushOptions {
    var options = PushOptions()
    if let value = body["persist"] {
      guard case .bool(let persist) = value else {
        throw Invalid(status: 400, message: "persist must be a boolean")
      }
      options.persist = persist
    }
    if let value = body["ttl"] {
      guard case .number(let number) = value, number == number.rounded(), number >= 1,
        number <= 31_536_000_000
      else { throw Invalid(status: 400, message: "ttl must be a positive whole number of seconds") }
      options.ttlSeconds = Int(number)
    }
    options.id = try key(body, "id")
    options.collapseKey = try key(body, "collapseKey")
    options.from = try key(body, "from")
    if !options.persist,
      options.ttlSeconds != nil || options.id != nil || options.collapseKey != nil
    {
      throw Invalid(
        status: 400,
        message: "ttl, id and collapseKey apply only to persisted messages (persist: true)")
    }
    return options
  }

  private static func key(_ body: JSONObject, _ name: String) throws(Invalid) -> String? {
    guard let value = body[name] else { return nil }
    guard case .string(let text) = value, (1...maxKeyLength).contains(text.unicodeScalars.count)
    else {
      throw Invalid(
        status: 400, message: "\(name) must be a string of 1 to \(maxKeyLength) characters")
    }
    return text
  }

  /// `GET /api/gateway/history/:userId?after=&limit=`: the offset to page after and the
  /// page size (default 50; over 500 is clamped to 500).
  static func historyQuery(_ query: Substring) throws(Invalid) -> (after: LogOffset?, limit: Int) {
    let items = URLQuery(query)
    var after: LogOffset?
    if let text = items["after"], !text.isEmpty {
      guard let offset = LogOffset(parsing: text) else {
        throw Invalid(status: 400, message: "after must be an offset from this API or an event")
      }
      after = offset
    }
    var limit = DeliveryJSON.defaultHistoryLimit
    if let text = items["limit"] {
      guard let number = Int(text), number >= 1 else {
        throw Invalid(status: 400, message: "limit must be a whole number from 1 to 500")
      }
      limit = min(number, DeliveryJSON.maxHistoryLimit)
    }
    return (after, limit)
  }
}

import Protocol

/// The client's reports on its own messages: `delivered`, `read` and `history`, each
/// answered on its ack callback. A bad payload gets `{"success":false,...}` and never closes
/// the socket; a socket only ever names its own user's messages.
extension Delivery {
  /// The events handled here.
  static let reportEvents: Set<String> = ["delivered", "read", "history"]

  /// Most message ids in one `read` report.
  static let maxReadIDs = 1000

  /// Handles report `name` from a socket of `userID`; returns the ack's argument.
  func report(_ name: String, argument: JSONValue?, userID: String) async -> JSONValue {
    let now = Clock.unixMilliseconds()
    let object = argument?.objectValue
    do throws(StoreError) {
      switch name {
      case "delivered":
        guard let text = object?["offset"]?.stringValue, let offset = LogOffset(parsing: text)
        else { return Self.refusal("delivered needs {\"offset\": \"<offset>\"}") }
        _ = try await store.markDelivered(userID: userID, upTo: offset, at: now)
        return Self.success
      case "read":
        guard let selection = Self.readSelection(object) else {
          return Self.refusal(
            "read needs {\"messageIds\": [\"<id>\", ...]} (1 to \(Self.maxReadIDs)) or {\"offset\": \"<offset>\"}"
          )
        }
        let receipts = try await store.markRead(userID: userID, selection: selection, at: now)
        await notifyAuthors(receipts, reader: userID, at: now)
        return Self.success
      default:
        guard let (after, limit) = Self.historyQuery(object) else {
          return Self.refusal("history takes {\"after\": \"<offset>\", \"limit\": 1-500}")
        }
        let page = try await store.history(userID: userID, after: after, limit: limit, now: now)
        return DeliveryJSON.historyPage(page, userID: nil)
      }
    } catch {
      return Self.refusal("Store unavailable")
    }
  }

  private static let success = JSONValue.object(JSONObject([("success", .bool(true))]))

  /// `messageRead` `{"messageId","userId","readAt","room"?}` to every socket of each read
  /// message's author (once per reader and message: only copies that just became `read`).
  private func notifyAuthors(_ receipts: [ReadReceipt], reader: String, at now: Int64) async {
    for receipt in receipts {
      guard let author = receipt.from, author != reader else { continue }
      var pairs: [(String, JSONValue)] = [
        ("messageId", .string(receipt.messageID)), ("userId", .string(reader)),
        ("readAt", DeliveryJSON.time(now)),
      ]
      if let room = receipt.room { pairs.append(("room", .string(room))) }
      var json: [UInt8] = []
      JSONWriter.write(.object(JSONObject(pairs)), into: &json)
      _ = await sendLive(event: "messageRead", argumentJSON: json, to: [author])
    }
  }

  private static func refusal(_ message: String) -> JSONValue {
    .object(JSONObject([("success", .bool(false)), ("message", .string(message))]))
  }

  private static func readSelection(_ object: JSONObject?) -> ReadSelection? {
    if case .array(let items)? = object?["messageIds"] {
      let ids = items.compactMap { $0.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
      guard !ids.isEmpty, ids.count == items.count, ids.count <= maxReadIDs else { return nil }
      return .messageIDs(ids)
    }
    guard let text = object?["offset"]?.stringValue, let offset = LogOffset(parsing: text) else {
      return nil
    }
    return .upTo(offset)
  }

  /// `after` and `limit` of a history request (an absent or null argument is the first page).
  private static func historyQuery(_ object: JSONObject?) -> (LogOffset?, Int)? {
    var after: LogOffset?
    if let value = object?["after"], value != .null {
      guard let text = value.stringValue, let offset = LogOffset(parsing: text) else { return nil }
      after = offset
    }
    var limit = DeliveryJSON.defaultHistoryLimit
    if let value = object?["limit"], value != .null {
      guard let number = value.numberValue, number == number.rounded(), number >= 1 else {
        return nil
      }
      limit = Int(min(number, Double(DeliveryJSON.maxHistoryLimit)))
    }
    return (after, limit)
  }
}

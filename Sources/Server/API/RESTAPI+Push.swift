import Protocol

/// `send` and `send-many`: the seed's answers, plus `messageId` and `queued` /
/// `queuedUserIds` for persisted pushes (answered after the commit).
extension RESTAPI {
  func send(_ request: HTTPRequest, caller: String) async throws(RESTRequest.Invalid)
    -> HTTPResponse
  {
    let body = try RESTRequest.send(request, limits: context.jsonLimits)
    let delivery = context.delivery
    guard body.options.persist else {
      let reached = await delivery.sendLive(
        event: body.event, argumentJSON: body.messageJSON, to: [body.userID])
      return .json(201, Self.sendAnswer(userID: body.userID, reached: reached[0], messageID: nil))
    }
    let key = body.options.id.map {
      RESTRequest.idempotencyKey(caller: caller, route: "send", id: $0)
    }
    let outcome = await delivery.push(
      appendRequest(
        event: body.event, messageJSON: body.messageJSON, recipients: [body.userID],
        options: body.options, key: key))
    return try await persistedAnswer(outcome, key: key, recipients: [body.userID]) {
      Self.sendAnswer(userID: body.userID, reached: $1.isEmpty, messageID: $0)
    }
  }

  func sendMany(_ request: HTTPRequest, caller: String) async throws(RESTRequest.Invalid)
    -> HTTPResponse
  {
    let body = try RESTRequest.sendMany(request, limits: context.jsonLimits)
    var seen = Set<String>()
    let recipients = body.userIDs.filter { seen.insert($0).inserted }
    let delivery = context.delivery
    guard body.options.persist else {
      _ = await delivery.sendLive(
        event: body.event, argumentJSON: body.messageJSON, to: recipients)
      return .json(201, Self.sendManyAnswer(userIDs: body.userIDs, messageID: nil, queued: []))
    }
    let key = body.options.id.map {
      RESTRequest.idempotencyKey(caller: caller, route: "send-many", id: $0)
    }
    let outcome = await delivery.push(
      appendRequest(
        event: body.event, messageJSON: body.messageJSON, recipients: recipients,
        options: body.options, key: key))
    return try await persistedAnswer(outcome, key: key, recipients: recipients) {
      Self.sendManyAnswer(userIDs: body.userIDs, messageID: $0, queued: $1)
    }
  }

  func appendRequest(
    event: String, messageJSON: [UInt8], recipients: [String], options: RESTRequest.PushOptions,
    key: String?, room: String? = nil
  ) -> AppendRequest {
    AppendRequest(
      event: event, messageJSON: messageJSON, recipients: recipients, from: options.from,
      room: room, ttlSeconds: options.ttlSeconds, collapseKey: options.collapseKey,
      idempotencyKey: key, now: Clock.unixMilliseconds())
  }

  /// The answer to a persisted push: 503 for a store failure, the first answer for a repeated
  /// idempotency key, else `build(messageID, queued)` (saved under the key), where `queued`
  /// lists the recipients no live socket got.
  func persistedAnswer(
    _ outcome: Delivery.PushOutcome, key: String?, recipients: [String],
    build: (String, [String]) -> [UInt8]
  ) async throws(RESTRequest.Invalid) -> HTTPResponse {
    switch outcome {
    case .failed(let error):
      return storeFailure(error)
    case .duplicate(_, let status?, let answer?):
      return .json(status, answer)
    case .duplicate(let messageID, _, _):
      // The first request is still being answered: the same answer, rebuilt from the
      // recipients' recorded states.
      let record: MessageRecord?
      do {
        record = try await context.delivery.store.message(
          id: messageID, now: Clock.unixMilliseconds())
      } catch {
        return storeFailure(error)
      }
      var reached = Set<String>()
      for recipient in record?.recipients ?? [] where recipient.state != .queued {
        reached.insert(recipient.userID)
      }
      return .json(201, build(messageID, recipients.filter { !reached.contains($0) }))
    case .stored(let messageID, let reached):
      var queued: [String] = []
      for (userID, wasReached) in zip(recipients, reached) where !wasReached {
        queued.append(userID)
      }
      let answer = build(messageID, queued)
      if let key {
        context.delivery.store.saveAnswer(idempotencyKey: key, status: 201, body: answer)
      }
      return .json(201, answer)
    }
  }

  /// The one mapping of a store failure to the wire: 503 in the NestJS shape, one log line.
  func storeFailure(_ error: StoreError) -> HTTPResponse {
    context.logger.error("store unavailable", ["error": error.message])
    return .error(503, "Message store unavailable: \(error.message)")
  }

  /// `{"success":…,"message":…}` (+ `"messageId"`, `"queued"` when persisted), written
  /// directly: this is the hot path of every push.
  static func sendAnswer(userID: String, reached: Bool, messageID: String?) -> [UInt8] {
    let message = reached ? "Message sent to user \(userID)" : "User \(userID) is not connected"
    var json: [UInt8] = []
    json.reserveCapacity(message.utf8.count + 96)
    json.append(
      contentsOf: (reached ? #"{"success":true,"message":"# : #"{"success":false,"message":"#)
        .utf8)
    JSONWriter.writeString(message, into: &json)
    if let messageID {
      json.append(contentsOf: #","messageId":"#.utf8)
      JSONWriter.writeString(messageID, into: &json)
      json.append(contentsOf: (reached ? #","queued":false"# : #","queued":true"#).utf8)
    }
    json.append(UInt8(ascii: "}"))
    return json
  }

  static func sendManyAnswer(userIDs: [String], messageID: String?, queued: [String]) -> [UInt8] {
    var pairs: [(String, JSONValue)] = [
      ("success", .bool(true)),
      ("message", .string("Message sent to \(userIDs.count) users")),
      ("userIds", .array(userIDs.map { .string($0) })),
    ]
    if let messageID {
      pairs.append(("messageId", .string(messageID)))
      pairs.append(("queuedUserIds", .array(queued.map { .string($0) })))
    }
    var json: [UInt8] = []
    JSONWriter.write(.object(JSONObject(pairs)), into: &json)
    return json
  }
}

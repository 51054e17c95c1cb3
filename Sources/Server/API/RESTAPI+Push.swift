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
    let key = Self.idempotencyKey(body.options.id, caller: caller, route: nil)
    let outcome = await delivery.push(
      appendRequest(
        event: body.event, messageJSON: body.messageJSON, recipients: [body.userID],
        options: body.options, key: key))
    switch outcome {
    case .failed(let error):
      return storeFailure(error)
    case .duplicate(let messageID, let status, let answer):
      return try await duplicateAnswer(messageID, status, answer) { reached in
        Self.sendAnswer(
          userID: body.userID, reached: reached[body.userID] ?? false, messageID: messageID)
      }
    case .stored(let messageID, let reached):
      let answer = Self.sendAnswer(userID: body.userID, reached: reached[0], messageID: messageID)
      if let key { delivery.store.saveAnswer(idempotencyKey: key, status: 201, body: answer) }
      return .json(201, answer)
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
    let key = Self.idempotencyKey(body.options.id, caller: caller, route: "send-many")
    let outcome = await delivery.push(
      appendRequest(
        event: body.event, messageJSON: body.messageJSON, recipients: recipients,
        options: body.options, key: key))
    switch outcome {
    case .failed(let error):
      return storeFailure(error)
    case .duplicate(let messageID, let status, let answer):
      return try await duplicateAnswer(messageID, status, answer) { reached in
        Self.sendManyAnswer(
          userIDs: body.userIDs, messageID: messageID,
          queued: recipients.filter { reached[$0] != true })
      }
    case .stored(let messageID, let reached):
      let queued = zip(recipients, reached).filter { !$0.1 }.map(\.0)
      let answer = Self.sendManyAnswer(userIDs: body.userIDs, messageID: messageID, queued: queued)
      if let key { delivery.store.saveAnswer(idempotencyKey: key, status: 201, body: answer) }
      return .json(201, answer)
    }
  }

  /// The stored idempotency key of a push: the caller and its `id`, scoped by route, so one
  /// `id` on send and on send-many are two requests, each answered in its own shape (the
  /// first version shared them: send-many answered a send's body). `send` keeps the
  /// unscoped form, so its keys stored before the scoping still match.
  static func idempotencyKey(_ id: String?, caller: String, route: String?) -> String? {
    guard let id else { return nil }
    guard let route else { return "\(caller)\u{0}\(id)" }
    return "\(caller)\u{0}\(route)\u{0}\(id)"
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

  /// A repeated idempotency key: the first answer, or (while the first request is still
  /// being answered) the same answer rebuilt from the message's recorded states.
  func duplicateAnswer(
    _ messageID: String, _ status: Int?, _ answer: [UInt8]?, rebuild: ([String: Bool]) -> [UInt8]
  ) async throws(RESTRequest.Invalid) -> HTTPResponse {
    if let status, let answer { return .json(status, answer) }
    let record: MessageRecord?
    do {
      record = try await context.delivery.store.message(
        id: messageID, now: Clock.unixMilliseconds())
    } catch {
      return storeFailure(error)
    }
    var reached: [String: Bool] = [:]
    for recipient in record?.recipients ?? [] {
      reached[recipient.userID] = recipient.state != .queued
    }
    return .json(201, rebuild(reached))
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

import Protocol

/// Rooms and presence: membership, a room's members and who of them is online, a user's
/// rooms, room sends, and presence for a batch of users.
extension RESTAPI {
  func changeMembers(_ room: String, _ request: HTTPRequest, adding: Bool)
    async throws(RESTRequest.Invalid) -> HTTPResponse
  {
    let userIDs = try RESTRequest.memberIDs(request, limits: context.jsonLimits)
    let membership: RoomMembership
    do {
      membership =
        adding
        ? try await context.rooms.add(userIDs, to: room)
        : try await context.rooms.remove(userIDs, from: room)
    } catch {
      return roomRefusal(error)
    }
    return .json(
      200,
      .object(
        JSONObject([
          ("room", .string(room)),
          (
            adding ? "added" : "removed",
            .number(Double(adding ? membership.added : membership.removed))
          ),
          ("members", .number(Double(membership.members.count))),
        ])))
  }

  func room(_ room: String) async -> HTTPResponse {
    guard RoomName.isValid(room) else { return .error(400, RoomName.rule) }
    let members = context.rooms.directory.members(of: room)
    guard !members.isEmpty else { return .error(404, "Room \(room) has no members") }
    let online = await context.registry.targets(forEach: members)
    return .json(
      200,
      .object(
        JSONObject([
          ("room", .string(room)),
          ("members", .array(members.map { .string($0) })),
          ("online", .array(zip(members, online).filter { !$0.1.isEmpty }.map { .string($0.0) })),
        ])))
  }

  func deleteRoom(_ room: String) async throws(RESTRequest.Invalid) -> HTTPResponse {
    do {
      let membership = try await context.rooms.remove(nil, from: room)
      return .json(
        200,
        .object(
          JSONObject([("room", .string(room)), ("removed", .number(Double(membership.removed)))])))
    } catch {
      return roomRefusal(error)
    }
  }

  func userRooms(_ userID: String) -> HTTPResponse {
    .json(
      200,
      .object(
        JSONObject([
          ("userId", .string(userID)),
          ("rooms", .array(context.rooms.directory.rooms(of: userID).map { .string($0) })),
        ])))
  }

  func presence(query: Substring) throws(RESTRequest.Invalid) -> HTTPResponse {
    let userIDs = try RESTRequest.presenceIDs(query)
    let users = userIDs.map { userID -> JSONValue in
      let (online, lastSeen) = context.presence.presence(of: userID)
      return .object(
        JSONObject([
          ("userId", .string(userID)), ("online", .bool(online)),
          ("lastSeen", lastSeen.map { DeliveryJSON.time($0) } ?? .null),
        ]))
    }
    return .json(200, .object(JSONObject([("users", .array(users))])))
  }

  func sendRoom(_ request: HTTPRequest, caller: String) async throws(RESTRequest.Invalid)
    -> HTTPResponse
  {
    let body = try RESTRequest.sendRoom(request, limits: context.jsonLimits)
    let members = context.rooms.directory.members(of: body.room)
    guard !members.isEmpty else { return .error(404, "Room \(body.room) has no members") }
    let recipients = members.filter { !body.exceptUserIDs.contains($0) }
    let delivery = context.delivery
    guard body.options.persist else {
      let reached = await delivery.sendLive(
        event: body.event, argumentJSON: body.messageJSON, to: recipients)
      return .json(
        201, Self.roomAnswer(body.room, recipients.count, reached.contains(true), nil, []))
    }
    let key = Self.idempotencyKey(body.options.id, caller: caller, route: "send-room")
    let outcome = await delivery.push(
      appendRequest(
        event: body.event, messageJSON: body.messageJSON, recipients: recipients,
        options: body.options, key: key, room: body.room))
    switch outcome {
    case .failed(let error):
      return storeFailure(error)
    case .duplicate(let messageID, let status, let answer):
      return try await duplicateAnswer(messageID, status, answer) { reached in
        let queued = recipients.filter { reached[$0] != true }
        return Self.roomAnswer(
          body.room, recipients.count, queued.count < recipients.count, messageID, queued)
      }
    case .stored(let messageID, let reached):
      let queued = zip(recipients, reached).filter { !$0.1 }.map(\.0)
      let answer = Self.roomAnswer(
        body.room, recipients.count, reached.contains(true), messageID, queued)
      if let key { delivery.store.saveAnswer(idempotencyKey: key, status: 201, body: answer) }
      return .json(201, answer)
    }
  }

  /// `{"success","message","room","recipients"}` (+ `"messageId"`, `"queuedUserIds"` when
  /// persisted).
  static func roomAnswer(
    _ room: String, _ recipients: Int, _ reached: Bool, _ messageID: String?, _ queued: [String]
  ) -> [UInt8] {
    var pairs: [(String, JSONValue)] = [
      ("success", .bool(reached)),
      ("message", .string("Message sent to room \(room)")),
      ("room", .string(room)),
      ("recipients", .number(Double(recipients))),
    ]
    if let messageID {
      pairs.append(("messageId", .string(messageID)))
      pairs.append(("queuedUserIds", .array(queued.map { .string($0) })))
    }
    var json: [UInt8] = []
    JSONWriter.write(.object(JSONObject(pairs)), into: &json)
    return json
  }

  /// A refused membership change: 400 for a name or a limit, 503 for the store.
  private func roomRefusal(_ refusal: Rooms.Refusal) -> HTTPResponse {
    if case .store(let error) = refusal { return storeFailure(error) }
    return .error(400, refusal.message)
  }
}

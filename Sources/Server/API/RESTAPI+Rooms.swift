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
    await refreshFromCluster(room)
    guard RoomName.isValid(room) else { return .error(400, RoomName.rule) }
    let members = context.rooms.directory.members(of: room)
    guard !members.isEmpty else { return .error(404, "Room \(room) has no members") }
    let local = await context.registry.targets(forEach: members)
    // Cluster mode: members whose sockets are on other nodes are online too.
    let elsewhere = await context.cluster?.connectedElsewhere(members) ?? []
    let online = zip(members, local).filter { !$0.1.isEmpty || elsewhere.contains($0.0) }
    return .json(
      200,
      .object(
        JSONObject([
          ("room", .string(room)),
          ("members", .array(members.map { .string($0) })),
          ("online", .array(online.map { .string($0.0) })),
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

  /// Cluster mode: reads the room from the store first (another node may have changed it a
  /// moment ago and its notice may still be on the way).
  private func refreshFromCluster(_ room: String) async {
    guard context.cluster != nil else { return }
    try? await context.rooms.reload(room)
  }

  func presence(query: Substring) async throws(RESTRequest.Invalid) -> HTTPResponse {
    let userIDs = try RESTRequest.presenceIDs(query)
    var users: [JSONValue] = []
    for userID in userIDs {
      var (online, lastSeen) = context.presence.presence(of: userID)
      if !online, let cluster = context.cluster, await cluster.isConnectedElsewhere(userID) == true
      {
        (online, lastSeen) = (true, nil)
      }
      users.append(
        .object(
          JSONObject([
            ("userId", .string(userID)), ("online", .bool(online)),
            ("lastSeen", lastSeen.map { DeliveryJSON.time($0) } ?? .null),
          ])))
    }
    return .json(200, .object(JSONObject([("users", .array(users))])))
  }

  func sendRoom(_ request: HTTPRequest, caller: String) async throws(RESTRequest.Invalid)
    -> HTTPResponse
  {
    let body = try RESTRequest.sendRoom(request, limits: context.jsonLimits)
    await refreshFromCluster(body.room)
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
    let key = body.options.id.map {
      RESTRequest.idempotencyKey(caller: caller, route: "send-room", id: $0)
    }
    let outcome = await delivery.push(
      appendRequest(
        event: body.event, messageJSON: body.messageJSON, recipients: recipients,
        options: body.options, key: key, room: body.room))
    return try await persistedAnswer(outcome, key: key, recipients: recipients) {
      Self.roomAnswer(body.room, recipients.count, $1.count < recipients.count, $0, $1)
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

import Protocol

/// The seed's REST API under `/api/gateway`, byte for byte: bodies are built with ordered
/// keys and serialised as `JSON.stringify` would.
struct RESTAPI: Sendable {
  let context: GatewayContext

  /// Answers a request whose path starts with `/api/gateway`.
  func handle(_ request: HTTPRequest) async -> HTTPResponse {
    let path = request.head.path
    let method = request.head.method
    let route: Route
    switch Route.match(path) {
    case .some(let matched): route = matched
    case nil: return .error(404, "Cannot \(method) \(path)")
    }
    guard route.methods.contains(method) else {
      return .error(
        405,
        "Method \(method) not allowed on \(path); use \(route.methods.joined(separator: " or "))")
    }
    let caller: String
    switch context.apiAuthorizer.caller(of: request.head, now: Clock.unixSeconds()) {
    case .success(let name): caller = name
    case .failure(.unauthorized(let message)): return .error(401, message)
    case .failure(.forbidden(let message)): return .error(403, message)
    }
    if let retryAfter = context.apiRateLimiter.retryAfter(caller, now: Clock.monotonicNanoseconds())
    {
      context.metrics.rateLimitedRequests.add(1, ordering: .relaxed)
      var response = HTTPResponse.error(429, "Too Many Requests")
      response.headers.add(name: "Retry-After", value: "\(retryAfter)")
      return response
    }
    do {
      switch route {
      case .send: return try await send(request, caller: caller)
      case .sendMany: return try await sendMany(request, caller: caller)
      case .status(let userID): return await status(userID)
      case .connected: return await connected()
      case .stats: return await stats()
      case .message(let id): return try await message(id)
      case .history(let userID):
        return method == "DELETE"
          ? try await deleteHistory(userID) : try await history(userID, query: request.head.query)
      case .sendRoom: return try await sendRoom(request, caller: caller)
      case .room(let name):
        return method == "DELETE" ? try await deleteRoom(name) : await room(name)
      case .roomMembers(let room):
        return try await changeMembers(room, request, adding: method == "PUT")
      case .userRooms(let userID): return userRooms(userID)
      case .presence: return try await presence(query: request.head.query)
      case .disconnect: return try await disconnect(request)
      }
    } catch {
      return .error(error.status, error.message)
    }
  }

  private func status(_ userID: String) async -> HTTPResponse {
    var connected = await context.registry.isConnected(userID)
    if !connected, let cluster = context.cluster {
      connected = await cluster.isConnectedElsewhere(userID) ?? false
    }
    return .json(
      200, .object(JSONObject([("userId", .string(userID)), ("connected", .bool(connected))])))
  }

  private func connected() async -> HTTPResponse {
    let userIDs = await connectedUserIDs()
    return .json(
      200,
      .object(
        JSONObject([
          ("connectedUsers", .array(userIDs.map { .string($0) })),
          ("count", .number(Double(userIDs.count))),
        ])))
  }

  private func stats() async -> HTTPResponse {
    let userIDs = await connectedUserIDs()
    return .json(
      200,
      .object(
        JSONObject([
          ("connectedUsers", .number(Double(userIDs.count))),
          ("userIds", .array(userIDs.map { .string($0) })),
        ])))
  }

  /// This node's users in first-connection order, then (cluster mode) those only other
  /// live nodes hold.
  private func connectedUserIDs() async -> [String] {
    var userIDs = await context.registry.snapshot().userIDs
    if let cluster = context.cluster, let elsewhere = await cluster.usersElsewhere() {
      let local = Set(userIDs)
      userIDs += elsewhere.filter { !local.contains($0) }
    }
    return userIDs
  }

  /// The API's routes.
  enum Route: Equatable {
    case send, sendMany, status(String), connected, stats
    case message(String), history(String)
    case sendRoom, room(String), roomMembers(String), userRooms(String), presence
    case disconnect

    /// The methods each route answers.
    var methods: [String] {
      switch self {
      case .send, .sendMany, .sendRoom, .disconnect: return ["POST"]
      case .status, .connected, .stats, .message, .userRooms, .presence: return ["GET"]
      case .history, .room: return ["GET", "DELETE"]
      case .roomMembers: return ["PUT", "DELETE"]
      }
    }

    /// The route for a path (a trailing slash tolerated), or nil.
    static func match(_ rawPath: Substring) -> Route? {
      // Byte operations: `count`, `hasPrefix` and `dropFirst` on a Substring walk
      // Characters (about 1,000 instructions per request here, callgrind).
      var path = rawPath
      if path.utf8.count > 1, path.utf8.last == UInt8(ascii: "/") {
        path = path[..<path.utf8.index(before: path.endIndex)]
      }
      switch path {
      case "/api/gateway/send": return .send
      case "/api/gateway/send-many": return .sendMany
      case "/api/gateway/connected": return .connected
      case "/api/gateway/stats": return .stats
      case "/api/gateway/send-room": return .sendRoom
      case "/api/gateway/presence": return .presence
      case "/api/gateway/disconnect": return .disconnect
      default:
        if let userID = parameter(path, after: "/api/gateway/status/") { return .status(userID) }
        if let id = parameter(path, after: "/api/gateway/messages/") { return .message(id) }
        if let userID = parameter(path, after: "/api/gateway/history/") { return .history(userID) }
        if let room = parameter(path, after: "/api/gateway/rooms/", before: "/members") {
          return .roomMembers(room)
        }
        if let room = parameter(path, after: "/api/gateway/rooms/") { return .room(room) }
        if let userID = parameter(path, after: "/api/gateway/users/", before: "/rooms") {
          return .userRooms(userID)
        }
        return nil
      }
    }

    /// The one decoded path segment between `prefix` and `suffix`, or nil.
    private static func parameter(
      _ path: Substring, after prefix: String, before suffix: String = ""
    )
      -> String?
    {
      guard path.utf8.starts(with: prefix.utf8),
        path.utf8.count > prefix.utf8.count + suffix.utf8.count,
        path.utf8.reversed().starts(with: suffix.utf8.reversed())
      else { return nil }
      // A path segment: `+` is a plus sign there, not a space as in a query string.
      let start = path.utf8.index(path.startIndex, offsetBy: prefix.utf8.count)
      let end = path.utf8.index(path.endIndex, offsetBy: -suffix.utf8.count)
      let encoded = path[start..<end]
      guard !encoded.isEmpty, !encoded.contains("/") else { return nil }
      let value = URLQuery.decodeComponent(
        Array(encoded.utf8).flatMap { $0 == UInt8(ascii: "+") ? Array("%2B".utf8) : [$0] })
      return value.isEmpty ? nil : value
    }
  }
}

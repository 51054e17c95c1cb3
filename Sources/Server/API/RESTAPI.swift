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
    guard route.method == method else {
      return .error(405, "Method \(method) not allowed on \(path); use \(route.method)")
    }
    if let refusal = context.apiAuthorizer.authorize(request.head, now: Clock.unixSeconds()) {
      switch refusal {
      case .unauthorized(let message): return .error(401, message)
      case .forbidden(let message): return .error(403, message)
      }
    }
    do {
      switch route {
      case .send: return try await send(request)
      case .sendMany: return try await sendMany(request)
      case .status(let userID): return await status(userID)
      case .connected: return await connected()
      case .stats: return await stats()
      }
    } catch {
      return .error(error.status, error.message)
    }
  }

  private func send(_ request: HTTPRequest) async throws(RESTRequest.Invalid) -> HTTPResponse {
    let body = try RESTRequest.send(request, limits: context.jsonLimits)
    let reached = await context.delivery.send(
      event: body.event, argumentJSON: body.messageJSON, to: body.userID)
    // `{"success":…,"message":…}` written directly: this is the hot path of every push, and
    // the object tree cost three allocations more than the bytes.
    let message =
      reached > 0
      ? "Message sent to user \(body.userID)" : "User \(body.userID) is not connected"
    var json: [UInt8] = []
    json.reserveCapacity(message.utf8.count + 40)
    json.append(
      contentsOf: (reached > 0 ? #"{"success":true,"message":"# : #"{"success":false,"message":"#)
        .utf8)
    JSONWriter.writeString(message, into: &json)
    json.append(UInt8(ascii: "}"))
    return .json(201, json)
  }

  private func sendMany(_ request: HTTPRequest) async throws(RESTRequest.Invalid) -> HTTPResponse {
    let body = try RESTRequest.sendMany(request, limits: context.jsonLimits)
    _ = await context.delivery.send(
      event: body.event, argumentJSON: body.messageJSON, toMany: body.userIDs)
    return .json(
      201,
      .object(
        JSONObject([
          ("success", .bool(true)),
          ("message", .string("Message sent to \(body.userIDs.count) users")),
          ("userIds", .array(body.userIDs.map { .string($0) })),
        ])))
  }

  private func status(_ userID: String) async -> HTTPResponse {
    let connected = await context.registry.isConnected(userID)
    return .json(
      200, .object(JSONObject([("userId", .string(userID)), ("connected", .bool(connected))])))
  }

  private func connected() async -> HTTPResponse {
    let snapshot = await context.registry.snapshot()
    return .json(
      200,
      .object(
        JSONObject([
          ("connectedUsers", .array(snapshot.userIDs.map { .string($0) })),
          ("count", .number(Double(snapshot.userIDs.count))),
        ])))
  }

  private func stats() async -> HTTPResponse {
    let snapshot = await context.registry.snapshot()
    return .json(
      200,
      .object(
        JSONObject([
          ("connectedUsers", .number(Double(snapshot.userIDs.count))),
          ("userIds", .array(snapshot.userIDs.map { .string($0) })),
        ])))
  }

  /// The API's routes.
  enum Route: Equatable {
    case send, sendMany, status(String), connected, stats

    /// The method each route answers.
    var method: String {
      switch self {
      case .send, .sendMany: return "POST"
      case .status, .connected, .stats: return "GET"
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
      default:
        let prefix = "/api/gateway/status/"
        guard path.utf8.starts(with: prefix.utf8) else { return nil }
        // A path segment: `+` is a plus sign there, not a space as in a query string.
        let encoded = path[path.utf8.index(path.startIndex, offsetBy: prefix.utf8.count)...]
        guard !encoded.isEmpty, !encoded.contains("/"),
          let userID = Optional(
            URLQuery.decodeComponent(
              Array(encoded.utf8).flatMap { $0 == UInt8(ascii: "+") ? Array("%2B".utf8) : [$0] })),
          !userID.isEmpty
        else { return nil }
        return .status(userID)
      }
    }
  }
}

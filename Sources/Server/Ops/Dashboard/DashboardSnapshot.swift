import Protocol

/// `GET /api/gateway/dashboard/snapshot`: what the dashboard shows, in one JSON object.
///
/// ```
/// {"time":"…Z","uptimeSeconds":12.5,"tcpConnections":3,"sockets":2,"users":1,
///  "counters":{"eventsReceived":…,"eventsDelivered":…,…},
///  "restLatency":{"count":N,"p50Ms":…,"p90Ms":…,"p99Ms":…},"pushLatency":{…},
///  "userList":[{"userId":"u","sockets":[{"socketId":"…","transport":"websocket",
///               "peer":"127.0.0.1:5000","connectedAt":"…Z"}]}],
///  "usersListed":1,"truncated":false}
/// ```
///
/// `q` keeps users whose id contains it; `limit` (1–5000, default 500) bounds the list, in
/// first-connection order.
struct DashboardSnapshot: Sendable {
  /// Where the registry, connections and metrics are read.
  let context: GatewayContext

  /// Most users listed when `limit` is not given.
  static let defaultLimit = 500
  /// Most users a `limit` may ask for.
  static let maximumLimit = 5000

  /// The answer for `query` (the request's query string).
  func response(query: Substring) async -> HTTPResponse {
    let parameters = URLQuery(query)
    let filter = parameters["q"] ?? ""
    var limit = Self.defaultLimit
    if let text = parameters["limit"] {
      guard let number = Int(text), (1...Self.maximumLimit).contains(number) else {
        return .error(400, "limit must be an integer from 1 to \(Self.maximumLimit)")
      }
      limit = number
    }
    // The same ordered list /api/gateway/stats reads; then the sockets of the listed users
    // only, so a page of 500 never copies every socket out of the registry.
    let ordered = await context.registry.snapshot()
    let matching = ordered.userIDs.filter { filter.isEmpty || $0.contains(filter) }
    let listedIDs = Array(matching.prefix(limit))
    var byUser: [String: [SocketTarget]] = [:]
    for (userID, targets) in zip(listedIDs, await context.registry.targets(forEach: listedIDs)) {
      byUser[userID] = targets
    }
    let listed = listedIDs.map { userID in
      JSONValue.object(
        JSONObject([
          ("userId", .string(userID)),
          (
            "sockets",
            .array(
              (byUser[userID] ?? []).sorted { $0.connectedAt < $1.connectedAt }.map(Self.socket))
          ),
        ]))
    }
    let metrics = context.metrics
    // Sizes of the store's backlogs (a count over the store per refresh; nil if it fails).
    let counts = try? await context.delivery.store.counts(now: Clock.unixMilliseconds())
    let body = JSONObject([
      ("time", .string(ISOTimestamp.now())),
      ("uptimeSeconds", .number(Clock.unixSeconds() - metrics.startTime)),
      ("tcpConnections", .number(Double(context.connections.count))),
      ("sockets", .number(Double(ordered.connections))),
      ("users", .number(Double(ordered.userIDs.count))),
      ("counters", .object(Self.counters(metrics))),
      ("restLatency", Self.latency(metrics.rest.mergedLatency())),
      ("pushLatency", Self.latency(metrics.pushLatency.snapshot())),
      (
        "store",
        .object(
          JSONObject([
            ("queued", counts.map { .number(Double($0.queued)) } ?? .null),
            ("expired", counts.map { .number(Double($0.expired)) } ?? .null),
            ("webhookBacklog", counts.map { .number(Double($0.webhookBacklog)) } ?? .null),
          ]))
      ),
      ("userList", .array(listed)),
      ("usersListed", .number(Double(listed.count))),
      ("truncated", .bool(matching.count > listed.count)),
    ])
    return .json(200, .object(body))
  }

  private static func counters(_ metrics: Metrics) -> JSONObject {
    let values: [(String, Int)] = [
      ("eventsReceived", metrics.eventsReceived.load()),
      ("eventsDelivered", metrics.eventsDelivered.load()),
      ("bytesReceived", metrics.bytesReceived.load()),
      ("bytesSent", metrics.bytesSent.load()),
      ("socketConnects", metrics.socketConnects.load()),
      ("socketDisconnects", metrics.socketDisconnects.total),
      ("authFailures", metrics.authFailures.total),
      ("slowConsumers", metrics.slowConsumers.load()),
      ("connectionsRefused", metrics.connectionsRefused.load()),
      ("webhookFailures", metrics.webhookFailures.load()),
      ("webhooksDelivered", metrics.webhooksDelivered.load()),
    ]
    return JSONObject(values.map { ($0.0, JSONValue.number(Double($0.1))) })
  }

  private static func latency(_ snapshot: LatencyHistogram.Snapshot) -> JSONValue {
    func milliseconds(_ quantile: Double) -> JSONValue {
      snapshot.quantile(quantile).map { .number(($0 * 1e6).rounded() / 1e3) } ?? .null
    }
    return .object(
      JSONObject([
        ("count", .number(Double(snapshot.count))),
        ("p50Ms", milliseconds(0.5)), ("p90Ms", milliseconds(0.9)), ("p99Ms", milliseconds(0.99)),
      ]))
  }

  private static func socket(_ target: SocketTarget) -> JSONValue {
    .object(
      JSONObject([
        ("socketId", .string(target.socketID)),
        ("transport", .string(target.outbox.transport == .polling ? "polling" : "websocket")),
        ("peer", .string(target.connection.peer)),
        ("connectedAt", .string(ISOTimestamp.string(fromUnixMilliseconds: target.connectedAt))),
      ]))
  }
}

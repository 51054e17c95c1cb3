import Glibc

/// The low-cardinality `method` and `route` labels of a REST request: the path's template
/// (`/api/gateway/status/:userId`), never the raw user id, so a scrape stays the same size
/// however many users call.
///
/// Matched on the path's contiguous UTF-8 bytes with a length check before each `memcmp`:
/// the first version compared `Substring.UTF8View`s element by element and cost ~3,000
/// instructions per REST push (callgrind, `scripts/loadgen push`); this one a few hundred.
enum RESTRouteLabel: Int, CaseIterable, Sendable {
  case send, sendMany, status, connected, stats, message, history, deleteHistory
  case sendRoom, room, deleteRoom, addRoomMembers, removeRoomMembers, userRooms, presence
  case disconnect
  case openAPI, dashboardSnapshot, healthz, metrics, dashboard
  /// Anything else: unknown paths (404) and known paths with another method (405).
  case other

  /// The `method` label.
  var method: String {
    switch self {
    case .send, .sendMany, .sendRoom, .disconnect: "POST"
    case .deleteHistory, .deleteRoom, .removeRoomMembers: "DELETE"
    case .addRoomMembers: "PUT"
    case .other: "other"
    default: "GET"
    }
  }

  /// The `Allow` header of a path this label names (as `matching(path:)` gave it); nil for
  /// `other`.
  var allowedMethods: String? {
    switch self {
    case .send, .sendMany, .sendRoom, .disconnect: "POST"
    case .status, .connected, .stats, .message, .userRooms, .presence: "GET"
    case .history, .deleteHistory, .room, .deleteRoom: "GET, DELETE"
    case .addRoomMembers, .removeRoomMembers: "PUT, DELETE"
    case .openAPI, .dashboardSnapshot, .healthz, .metrics, .dashboard: "GET, HEAD"
    case .other: nil
    }
  }

  /// The `route` label: the path with its parameters named.
  var route: String { template.description }

  private var template: StaticString {
    switch self {
    case .send: "/api/gateway/send"
    case .sendMany: "/api/gateway/send-many"
    case .status: "/api/gateway/status/:userId"
    case .connected: "/api/gateway/connected"
    case .stats: "/api/gateway/stats"
    case .message: "/api/gateway/messages/:messageId"
    case .history, .deleteHistory: "/api/gateway/history/:userId"
    case .sendRoom: "/api/gateway/send-room"
    case .room, .deleteRoom: "/api/gateway/rooms/:room"
    case .addRoomMembers, .removeRoomMembers: "/api/gateway/rooms/:room/members"
    case .userRooms: "/api/gateway/users/:userId/rooms"
    case .presence: "/api/gateway/presence"
    case .disconnect: "/api/gateway/disconnect"
    case .openAPI: "/api/gateway/openapi.json"
    case .dashboardSnapshot: "/api/gateway/dashboard/snapshot"
    case .healthz: "/healthz"
    case .metrics: "/metrics"
    case .dashboard: "/dashboard"
    case .other: "other"
    }
  }

  /// The label of a request (`HEAD` counts as `GET`; one trailing slash is tolerated, as
  /// the API tolerates it).
  init(method: String, path: Substring) {
    self = Self.matching(path: path).answering(method: method)
  }

  /// The route a path names, whatever the method (`history`, `room` and `addRoomMembers`
  /// for both of their methods).
  static func matching(path: Substring) -> RESTRouteLabel {
    let matched = path.utf8.withContiguousStorageIfAvailable {
      Self.match(UnsafeRawBufferPointer($0))
    }
    return matched ?? Array(path.utf8).withUnsafeBytes { Self.match($0) }
  }

  /// This path's label for `method`: `other` when the route does not answer it.
  func answering(method: String) -> RESTRouteLabel {
    let method = method == "HEAD" ? "GET" : method
    if method == "DELETE" {
      switch self {
      case .history: return .deleteHistory
      case .room: return .deleteRoom
      case .addRoomMembers: return .removeRoomMembers
      default: break
      }
    }
    return self.method == method ? self : .other
  }

  private static func match(_ rawPath: UnsafeRawBufferPointer) -> RESTRouteLabel {
    var path = rawPath
    if path.count > 1, path.last == UInt8(ascii: "/") {
      path = UnsafeRawBufferPointer(rebasing: path.dropLast())
    }
    for label in fixedRoutes where equals(path, label.template) { return label }
    for (prefix, suffix, label) in parameterRoutes
    where hasOneSegment(path, after: prefix, before: suffix) {
      return label
    }
    return .other
  }

  private static let fixedRoutes: [RESTRouteLabel] = [
    .send, .sendMany, .connected, .stats, .openAPI, .dashboardSnapshot, .healthz, .metrics,
    .dashboard, .sendRoom, .presence, .disconnect,
  ]

  /// Prefix, suffix and label; a `…/members` path is tried before the bare room.
  private static let parameterRoutes: [(StaticString, StaticString, RESTRouteLabel)] = [
    ("/api/gateway/status/", "", .status), ("/api/gateway/messages/", "", .message),
    ("/api/gateway/history/", "", .history),
    ("/api/gateway/rooms/", "/members", .addRoomMembers), ("/api/gateway/rooms/", "", .room),
    ("/api/gateway/users/", "/rooms", .userRooms),
  ]

  private static func equals(_ path: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
    path.count == text.utf8CodeUnitCount
      && memcmp(path.baseAddress!, text.utf8Start, path.count) == 0
  }

  /// Whether `path` is `prefix`, one non-empty segment, then `suffix` (which may be empty).
  private static func hasOneSegment(
    _ path: UnsafeRawBufferPointer, after prefix: StaticString, before suffix: StaticString
  ) -> Bool {
    let length = prefix.utf8CodeUnitCount
    let tail = suffix.utf8CodeUnitCount
    guard path.count > length + tail, memcmp(path.baseAddress!, prefix.utf8Start, length) == 0
    else { return false }
    if tail > 0,
      memcmp(path.baseAddress! + (path.count - tail), suffix.utf8Start, tail) != 0
    {
      return false
    }
    return !path[length..<(path.count - tail)].contains(UInt8(ascii: "/"))
  }
}

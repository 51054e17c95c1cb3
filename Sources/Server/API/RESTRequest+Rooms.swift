import Protocol

extension RESTRequest {
  /// `POST /api/gateway/send-room`.
  struct SendRoom: Sendable {
    var room: String
    var event: String
    var messageJSON: [UInt8]
    var exceptUserIDs: Set<String>
    var options: PushOptions
  }

  /// Most user ids in one membership change or presence query.
  static let maxUserIDs = 1000

  static func sendRoom(_ request: HTTPRequest, limits: JSONLimits) throws(Invalid) -> SendRoom {
    let body = try object(request, limits: limits)
    guard case .string(let room)? = body["room"], RoomName.isValid(room) else {
      throw Invalid(status: 400, message: "room must be a string: \(RoomName.rule)")
    }
    var except: Set<String> = []
    if let value = body["exceptUserIds"] {
      except = Set(try userIDs(value, name: "exceptUserIds", allowEmpty: true))
    }
    return SendRoom(
      room: room, event: try event(body),
      messageJSON: message(body, sizeHint: request.body.count), exceptUserIDs: except,
      options: try pushOptions(body))
  }

  /// `{"userIds":[…]}` of a membership change.
  static func memberIDs(_ request: HTTPRequest, limits: JSONLimits) throws(Invalid) -> [String] {
    let body = try object(request, limits: limits)
    guard let value = body["userIds"] else {
      throw Invalid(status: 400, message: "userIds must be a non-empty array of strings")
    }
    return try userIDs(value, name: "userIds", allowEmpty: false)
  }

  /// `?userIds=U1,U2` of a presence query.
  static func presenceIDs(_ query: Substring) throws(Invalid) -> [String] {
    let ids = (URLQuery(query)["userIds"] ?? "").split(separator: ",").map(String.init)
    guard !ids.isEmpty, ids.count <= maxUserIDs, ids.allSatisfy({ !$0.isEmpty }) else {
      throw Invalid(
        status: 400, message: "userIds must list 1 to \(maxUserIDs) user ids, comma-separated")
    }
    return ids
  }

  private static func userIDs(_ value: JSONValue, name: String, allowEmpty: Bool) throws(Invalid)
    -> [String]
  {
    guard case .array(let items) = value, allowEmpty || !items.isEmpty, items.count <= maxUserIDs
    else {
      throw Invalid(
        status: 400, message: "\(name) must be an array of 1 to \(maxUserIDs) non-empty strings")
    }
    var ids: [String] = []
    for item in items {
      guard case .string(let id) = item, !id.isEmpty else {
        throw Invalid(status: 400, message: "\(name) must contain only non-empty strings")
      }
      ids.append(id)
    }
    return ids
  }
}

import Protocol

/// Validation of REST request bodies, with NestJS-style messages that say what is wrong.
enum RESTRequest {
  /// A rejected body: status and message.
  struct Invalid: Error, Sendable {
    var status: Int
    var message: String
  }

  /// `POST /api/gateway/send`.
  struct Send: Sendable {
    var userID: String
    var event: String
    var messageJSON: [UInt8]
    var options: PushOptions
  }

  /// `POST /api/gateway/send-many`.
  struct SendMany: Sendable {
    var userIDs: [String]
    var event: String
    var messageJSON: [UInt8]
    var options: PushOptions
  }

  /// Parses the body as a JSON object.
  static func object(_ request: HTTPRequest, limits: JSONLimits) throws(Invalid) -> JSONObject {
    if let type = request.head.headers["content-type"],
      !type.lowercased().hasPrefix("application/json")
    {
      throw Invalid(status: 415, message: "Content-Type must be application/json")
    }
    guard !request.body.isEmpty else {
      throw Invalid(status: 400, message: "Request body must be a JSON object")
    }
    let value: JSONValue
    do {
      value = try JSONParser.parse(request.body, limits: limits)
    } catch {
      throw Invalid(status: 400, message: "Request body is not valid JSON: \(error.message)")
    }
    guard case .object(let object) = value else {
      throw Invalid(status: 400, message: "Request body must be a JSON object")
    }
    return object
  }

  static func send(_ request: HTTPRequest, limits: JSONLimits) throws(Invalid) -> Send {
    let body = try object(request, limits: limits)
    guard case .string(let userID)? = body["userId"], !userID.isEmpty else {
      throw Invalid(status: 400, message: "userId must be a non-empty string")
    }
    return Send(
      userID: userID, event: try event(body),
      messageJSON: message(body, sizeHint: request.body.count), options: try pushOptions(body))
  }

  static func sendMany(_ request: HTTPRequest, limits: JSONLimits) throws(Invalid) -> SendMany {
    let body = try object(request, limits: limits)
    guard case .array(let items)? = body["userIds"], !items.isEmpty else {
      throw Invalid(status: 400, message: "userIds must be a non-empty array of strings")
    }
    var userIDs: [String] = []
    userIDs.reserveCapacity(items.count)
    for item in items {
      guard case .string(let userID) = item, !userID.isEmpty else {
        throw Invalid(status: 400, message: "userIds must contain only non-empty strings")
      }
      userIDs.append(userID)
    }
    return SendMany(
      userIDs: userIDs, event: try event(body),
      messageJSON: message(body, sizeHint: request.body.count), options: try pushOptions(body))
  }

  static func event(_ body: JSONObject) throws(Invalid) -> String {
    guard case .string(let event)? = body["event"], !event.isEmpty else {
      throw Invalid(status: 400, message: "event must be a non-empty string")
    }
    guard !SocketIOPacketDecoder.reservedEventNames.contains(event) else {
      throw Invalid(
        status: 400, message: "event \"\(event)\" is reserved by Socket.IO and cannot be emitted")
    }
    return event
  }

  /// The `message` value re-serialised as `JSON.stringify` would (key order kept); a
  /// missing one is `null`, as socket.io sends an `undefined` argument.
  static func message(_ body: JSONObject, sizeHint: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(sizeHint)  // the message is part of the body: one allocation
    JSONWriter.write(body["message"] ?? .null, into: &bytes)
    return bytes
  }
}

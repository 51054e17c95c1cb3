import Protocol

/// A client's own room events: `join` and `leave` (within its token's `rooms` claim) and
/// `typing` (relayed live to the other members, never stored, never echoed to the sender).
extension Rooms {
  /// The events handled here.
  static let clientEvents: Set<String> = ["join", "leave", "typing"]

  /// What a socket brings to its room events.
  struct Sender: Sendable {
    var userID: String
    /// The token's `rooms` claim; nil: the client may join nothing.
    var patterns: RoomPatterns?
    /// False when the socket is over its typing rate (the event is dropped).
    var typingAllowed: Bool
  }

  /// Handles `name` from `sender`; returns the ack's argument.
  func clientEvent(
    _ name: String, argument: JSONValue?, from sender: Sender, registry: RegistryActor,
    metrics: Metrics
  ) async -> JSONValue {
    let object = argument?.objectValue
    if name == "typing" {
      return await typing(object, from: sender, registry: registry, metrics: metrics)
    }
    guard let room = object?["room"]?.stringValue else {
      return Self.refusal("\(name) needs {\"room\": \"<name>\"}")
    }
    guard RoomName.isValid(room) else { return Self.refusal(RoomName.rule) }
    guard sender.patterns?.allows(room) == true else { return Self.refusal("Not allowed") }
    do {
      if name == "join" {
        _ = try await add([sender.userID], to: room)
      } else {
        _ = try await remove([sender.userID], from: room)
      }
    } catch {
      return Self.refusal(error.message)
    }
    return .object(JSONObject([("success", .bool(true)), ("room", .string(room))]))
  }

  private func typing(
    _ object: JSONObject?, from sender: Sender, registry: RegistryActor, metrics: Metrics
  ) async -> JSONValue {
    guard case .bool(let isTyping)? = object?["isTyping"] else {
      return Self.refusal("typing needs {\"room\" or \"userId\", \"isTyping\": true|false}")
    }
    guard sender.typingAllowed else { return Self.refusal("Rate limit exceeded") }
    let receivers: [String]
    var payload: [(String, JSONValue)] = [("from", .string(sender.userID))]
    if let room = object?["room"]?.stringValue {
      guard directory.isMember(sender.userID, of: room) else { return Self.refusal("Not allowed") }
      receivers = directory.members(of: room).filter { $0 != sender.userID }
      payload.append(("room", .string(room)))
    } else if let userID = object?["userId"]?.stringValue {
      guard userID != sender.userID, directory.shareRoom(sender.userID, userID) else {
        return Self.refusal("Not allowed")
      }
      receivers = [userID]
      payload.append(("userId", .string(userID)))
    } else {
      return Self.refusal("typing needs {\"room\" or \"userId\", \"isTyping\": true|false}")
    }
    payload.append(("isTyping", .bool(isTyping)))
    var json: [UInt8] = []
    JSONWriter.write(.object(JSONObject(payload)), into: &json)
    let packet = Delivery.livePacket(event: "typing", argumentJSON: json)
    for sockets in await registry.targets(forEach: receivers) where !sockets.isEmpty {
      _ = await Delivery.offer(packet, offset: nil, to: sockets, metrics: metrics)
    }
    return .object(JSONObject([("success", .bool(true))]))
  }

  private static func refusal(_ message: String) -> JSONValue {
    .object(JSONObject([("success", .bool(false)), ("message", .string(message))]))
  }
}

import Protocol

/// `POST /api/gateway/disconnect` `{"userId","reason"?}`: ends every socket of a user at once
/// (ban, logout, password change); each gets `error` `{"message":"Disconnected by server",
/// "reason"}` and a server-side DISCONNECT, so the client does not reconnect by itself.
extension RESTAPI {
  func disconnect(_ request: HTTPRequest) async throws(RESTRequest.Invalid) -> HTTPResponse {
    let body = try RESTRequest.object(request, limits: context.jsonLimits)
    guard case .string(let userID)? = body["userId"], !userID.isEmpty else {
      throw RESTRequest.Invalid(status: 400, message: "userId must be a non-empty string")
    }
    var reason: String?
    if let value = body["reason"], value != .null {
      guard case .string(let text) = value, text.unicodeScalars.count <= 200 else {
        throw RESTRequest.Invalid(
          status: 400, message: "reason must be a string of at most 200 characters")
      }
      reason = text
    }
    var ended = 0
    for target in await context.registry.targets(for: userID)
    where await target.connection.endSocket(
      message: "Disconnected by server", reason: reason, logReason: "disconnected by server")
    {
      ended += 1
    }
    return .json(
      201,
      .object(
        JSONObject([
          ("success", .bool(true)), ("userId", .string(userID)),
          ("disconnected", .number(Double(ended))),
        ])))
  }
}

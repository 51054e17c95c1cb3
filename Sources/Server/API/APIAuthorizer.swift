import Auth
import Protocol

/// Decides whether a REST caller may push and list users: a static API key, or a JWT that
/// verifies like a connection token and carries the API role.
struct APIAuthorizer: Sendable {
  /// Why a request is refused.
  enum Refusal: Error, Sendable, Equatable {
    /// 401: no credentials or bad ones.
    case unauthorized(String)
    /// 403: a valid token without the role.
    case forbidden(String)
  }

  let verifier: JWTVerifier
  let apiKeys: [[UInt8]]
  /// Role required in `roles`/`role`; empty accepts any valid token (the seed's behaviour).
  let role: String

  init(verifier: JWTVerifier, apiKeys: [String], role: String) {
    self.verifier = verifier
    self.apiKeys = apiKeys.map { Array($0.utf8) }
    self.role = role
  }

  /// Checks the request's `Authorization` header.
  func authorize(_ head: HTTPRequestHead, now: Double) -> Refusal? {
    if case .failure(let refusal) = caller(of: head, now: now) { return refusal }
    return nil
  }

  /// Checks the request's `Authorization` header and names the caller: `key:<n>` for the
  /// n-th API key, `user:<id>` for a JWT (idempotency keys are scoped by it).
  func caller(of head: HTTPRequestHead, now: Double) -> Result<String, Refusal> {
    guard let header = head.headers["authorization"] else {
      return .failure(
        .unauthorized(
          "Missing Authorization header: send 'Authorization: Bearer <admin JWT or API key>'"))
    }
    guard let token = BearerToken.fromAuthorizationHeader(header) else {
      return .failure(.unauthorized("Authorization header must use the Bearer scheme"))
    }
    // Every key is compared, in constant time, so timing says nothing about which matched.
    var tokenText = token
    let keyMatched = tokenText.withUTF8 { tokenBytes in
      var matched: Int?
      for (index, key) in apiKeys.enumerated() where constantTimeEquals(key, tokenBytes) {
        matched = index
      }
      return matched
    }
    if let keyMatched { return .success("key:\(keyMatched)") }
    let identity: Identity
    do {
      identity = try verifier.verify(token, now: now)
    } catch {
      return .failure(
        .unauthorized(
          "Invalid token (\(error.reason.rawValue)): use an admin JWT signed with the gateway's key, or an API key from GATEWAY_API_KEYS"
        ))
    }
    if role.isEmpty || identity.roles.contains(role) { return .success("user:\(identity.userID)") }
    return .failure(
      .forbidden(
        "Token for user \(identity.userID) lacks the '\(role)' role required by the REST API: add it to the token's roles claim, or use an API key"
      ))
  }
}

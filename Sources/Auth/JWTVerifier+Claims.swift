extension JWTVerifier {
  /// Checks the registered claims of a verified payload and extracts the identity.
  ///
  /// `exp` and `nbf` must be numbers when present and are compared with `now` within the
  /// leeway. `iat` must be a number when present but is not compared with `now`: an issuer
  /// clock slightly ahead would otherwise refuse fresh tokens, and `exp` already bounds age
  /// (jwt-kit's `IssuedAtClaim` does not compare it either). `iss` and `aud` are checked
  /// only when the options name them.
  func identity(payload: [UInt8], now: Double) throws(AuthError) -> Identity {
    guard let claims = JSONParser.parse(payload)?.object else {
      throw AuthError(reason: .malformed, detail: "Payload is not a JSON object.")
    }
    let expiresAt = try numericDate(claims, "exp")
    if let expiresAt, now > expiresAt + options.leeway {
      throw AuthError(reason: .expired, detail: "Token expired (exp is past, beyond leeway).")
    }
    if let notBefore = try numericDate(claims, "nbf"), now + options.leeway < notBefore {
      throw AuthError(
        reason: .notYetValid, detail: "Token is not valid yet (nbf is ahead, beyond leeway).")
    }
    _ = try numericDate(claims, "iat")
    if let issuer = options.issuer, claims["iss"]?.string != issuer {
      throw AuthError(reason: .wrongIssuer, detail: "Token iss is not the configured issuer.")
    }
    if let audience = options.audience, !Self.audience(claims["aud"], contains: audience) {
      throw AuthError(
        reason: .wrongAudience, detail: "Token aud does not contain the configured audience.")
    }
    return Identity(
      userID: try userID(claims), expiresAt: expiresAt, roles: Self.roles(claims),
      claimsJSON: payload)
  }

  /// A NumericDate claim (RFC 7519 §2), nil when absent.
  private func numericDate(_ claims: JSONObject, _ name: String) throws(AuthError)
    -> Double?
  {
    guard let value = claims[name] else { return nil }
    guard let seconds = value.number else {
      throw AuthError(reason: .malformed, detail: "Claim \(name) is not a number.")
    }
    return seconds
  }

  /// RFC 7519 §4.1.3: `aud` is one string or an array of strings.
  private static func audience(_ value: JSONValue?, contains audience: String) -> Bool {
    switch value {
    case .string(let text): return text == audience
    case .array(let elements): return elements.contains(.string(audience))
    default: return false
    }
  }

  /// The first present (non-null) user-id claim: a non-empty string as it is, or an integer
  /// written without `.0` (42 → "42").
  private func userID(_ claims: JSONObject) throws(AuthError) -> String {
    for name in options.userClaims {
      switch claims[name] {
      case nil, .null?:
        continue
      case .string(let text)? where !text.isEmpty:
        return text
      case .number(let number)?:
        if let text = number.integerText { return text }
        fallthrough
      default:
        throw AuthError(
          reason: .missingUserID,
          detail: "Claim \(name) is not a non-empty string or an integer.")
      }
    }
    throw AuthError(
      reason: .missingUserID,
      detail: "Token has none of the user-id claims \(options.userClaims.joined(separator: ", ")).")
  }

  /// The strings of `roles`, then `role` if it is a string not already listed. Anything else
  /// is ignored: roles never decide whether a token is valid.
  private static func roles(_ claims: JSONObject) -> [String] {
    var roles = claims["roles"]?.array?.compactMap(\.string) ?? []
    if let role = claims["role"]?.string, !roles.contains(role) { roles.append(role) }
    return roles
  }
}

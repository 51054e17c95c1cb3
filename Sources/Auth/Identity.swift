/// Who a verified token speaks for.
public struct Identity: Sendable, Equatable {
  /// The user id, from the first present claim of `JWTVerifier.Options.userClaims`.
  public var userID: String
  /// The `exp` claim in seconds since the epoch, if the token has one.
  public var expiresAt: Double?
  /// The strings of the `roles` array, then `role` if it is a string not already listed.
  public var roles: [String]
  /// The decoded payload as the token carried it (UTF-8 JSON), for features that read more
  /// claims later.
  public var claimsJSON: [UInt8]

  /// Creates an identity.
  /// - Parameters:
  ///   - userID: the user id.
  ///   - expiresAt: the `exp` claim, seconds since the epoch.
  ///   - roles: the role names.
  ///   - claimsJSON: the decoded payload bytes.
  public init(userID: String, expiresAt: Double?, roles: [String], claimsJSON: [UInt8]) {
    self.userID = userID
    self.expiresAt = expiresAt
    self.roles = roles
    self.claimsJSON = claimsJSON
  }
}

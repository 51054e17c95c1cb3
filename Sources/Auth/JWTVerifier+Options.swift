extension JWTVerifier {
  /// What a verifier checks beyond the signature.
  public struct Options: Sendable {
    /// Seconds of clock skew forgiven on `exp` and `nbf`. 30 s covers ordinary NTP drift
    /// between the issuer and the gateway without keeping stolen tokens alive for long.
    public var leeway: Double = 30
    /// The required `iss`, or nil to ignore `iss`.
    public var issuer: String?
    /// The audience `aud` must be or contain, or nil to ignore `aud`.
    public var audience: String?
    /// Claims tried in order for the user id: `sub` is the standard one; `userId`, `_id` and
    /// `id` are what NestJS and Mongo-backed issuers commonly put in instead.
    public var userClaims: [String] = ["sub", "userId", "_id", "id"]
    /// The longest token accepted, in UTF-8 bytes. 8 KiB is the usual header-size limit of
    /// HTTP servers, so no legitimate `Authorization: Bearer` token is longer.
    public var maxTokenBytes: Int = 8192

    /// Creates options; every default is explained on its property.
    public init(
      leeway: Double = 30, issuer: String? = nil, audience: String? = nil,
      userClaims: [String] = ["sub", "userId", "_id", "id"], maxTokenBytes: Int = 8192
    ) {
      self.leeway = leeway
      self.issuer = issuer
      self.audience = audience
      self.userClaims = userClaims
      self.maxTokenBytes = maxTokenBytes
    }
  }
}

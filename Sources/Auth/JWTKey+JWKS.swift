import Protocol

extension JWTKey {
  /// The signature-verification keys of a JWK Set (RFC 7517 §5), or of a single JWK.
  ///
  /// Supported: `kty` RSA (`n`, `e`), EC (`crv` P-256 or P-384, `x`, `y`), OKP (`crv`
  /// Ed25519, `x`) and oct (`k`). A key's `kid` is kept and its `alg`, when present, narrows
  /// it to that one algorithm. Keys meant for something else are skipped, not refused, since
  /// identity providers publish encryption keys in the same set: `use` other than `sig`,
  /// `key_ops` without `verify`, an `alg` or `kty` or `crv` this gateway does not verify.
  /// - Parameter json: the JWK Set as UTF-8 JSON.
  /// - Returns: the usable keys, in the order of the set.
  /// - Throws: `invalidKey` if the JSON is malformed, a supported key's members are missing
  ///   or wrong, or no usable key remains.
  public static func jwks(_ json: [UInt8]) throws(AuthError) -> [JWTKey] {
    guard let root = JSONParser.parse(json)?.object else {
      throw AuthError(reason: .invalidKey, detail: "JWK Set is not a JSON object.")
    }
    let entries: [JSONValue]
    if let keys = root["keys"] {
      guard let array = keys.array else {
        throw AuthError(reason: .invalidKey, detail: "JWK Set member keys is not an array.")
      }
      entries = array
    } else if root["kty"] != nil {
      entries = [.object(root)]
    } else {
      throw AuthError(reason: .invalidKey, detail: "JWK Set has no keys member.")
    }
    var result: [JWTKey] = []
    for (position, entry) in entries.enumerated() {
      guard let members = entry.object else {
        throw AuthError(reason: .invalidKey, detail: "JWK #\(position) is not an object.")
      }
      if let key = try jwk(members, position: position) { result.append(key) }
    }
    guard !result.isEmpty else {
      throw AuthError(reason: .invalidKey, detail: "JWK Set holds no signature key we verify.")
    }
    return result
  }

  /// The keys of a JWK Set file; see `jwks(_:)`.
  /// - Throws: `keyFileUnreadable` if the file cannot be read, else as `jwks(_:)`.
  public static func jwks(contentsOfFile path: String) throws(AuthError) -> [JWTKey] {
    try jwks(readKeyFile(path))
  }

  /// One JWK as a key, or nil when it is not a signature key this gateway verifies.
  private static func jwk(_ members: JSONObject, position: Int) throws(AuthError)
    -> JWTKey?
  {
    let reader = JWKMembers(members: members, position: position)
    if let use = try reader.optionalString("use"), use != "sig" { return nil }
    if let operations = members["key_ops"]?.array,
      !operations.contains(.string("verify"))
    {
      return nil
    }
    let kid = try reader.optionalString("kid")
    var algorithm: JWTAlgorithm? = nil
    if let name = try reader.optionalString("alg") {
      guard let known = JWTAlgorithm(rawValue: name) else { return nil }
      algorithm = known
    }
    let key: OpenSSLPublicKey
    switch try reader.string("kty") {
    case "oct":
      let secret = try reader.bytes("k")
      guard !secret.isEmpty else { throw reader.invalid("has an empty k") }
      let allowed = algorithm.map { [$0] } ?? JWTAlgorithm.Family.hmac.algorithms
      guard allowed.allSatisfy({ $0.family == .hmac }) else {
        throw reader.invalid("has an alg that does not fit kty oct")
      }
      return hmac(secret: secret, algorithms: allowed, kid: kid)
    case "RSA":
      key = try OpenSSLPublicKey(rsaModulus: reader.bytes("n"), exponent: reader.bytes("e"))
    case "EC":
      let curve = try reader.string("crv")
      let width: Int
      switch curve {
      case "P-256": width = 32
      case "P-384": width = 48
      default: return nil
      }
      let x = try reader.bytes("x")
      let y = try reader.bytes("y")
      // RFC 7518 §6.2.1.2: coordinates are exactly the curve's field size.
      guard x.count == width, y.count == width else {
        throw reader.invalid("has x or y of the wrong length for \(curve)")
      }
      key = try OpenSSLPublicKey(curve: curve, x: x, y: y)
    case "OKP":
      guard try reader.string("crv") == "Ed25519" else { return nil }
      key = try OpenSSLPublicKey(ed25519: reader.bytes("x"))
    default:
      return nil
    }
    var allowed = key.algorithms
    if let algorithm {
      guard allowed.contains(algorithm) else {
        throw reader.invalid("has an alg that does not fit its key type")
      }
      allowed = [algorithm]
    }
    return JWTKey(kid: kid, algorithms: allowed, material: .publicKey(key))
  }
}

/// Typed access to one JWK's members, with errors that say which key and member failed.
private struct JWKMembers {
  let members: JSONObject
  let position: Int

  func invalid(_ problem: String) -> AuthError {
    AuthError(reason: .invalidKey, detail: "JWK #\(position) \(problem).")
  }

  func optionalString(_ name: String) throws(AuthError) -> String? {
    guard let value = members[name] else { return nil }
    guard let text = value.string else { throw invalid("member \(name) is not a string") }
    return text
  }

  func string(_ name: String) throws(AuthError) -> String {
    guard let text = try optionalString(name) else { throw invalid("lacks member \(name)") }
    return text
  }

  /// A base64url member (RFC 7518 §6: unpadded).
  func bytes(_ name: String) throws(AuthError) -> [UInt8] {
    guard let bytes = Base64.decode(try string(name), alphabet: .url) else {
      throw invalid("member \(name) is not base64url")
    }
    return bytes
  }
}

import COpenSSL

/// An OpenSSL public key (`EVP_PKEY`) for RSA, EC P-256/P-384 or Ed25519, owned and freed.
// @unchecked Sendable: the EVP_PKEY is fully built before `init` returns and is never mutated
// afterwards. OpenSSL 3 allows one constructed EVP_PKEY to be used for verification from many
// threads at once; each verification runs in its own EVP_MD_CTX (see `verify`), never shared.
final class OpenSSLPublicKey: @unchecked Sendable {
  /// The key; owned by this object.
  let pointer: OpaquePointer
  /// Which algorithms the key's type and size can verify.
  let family: JWTAlgorithm.Family
  /// The algorithms the key type allows (PSS-restricted RSA keys allow only PS256).
  let algorithms: Set<JWTAlgorithm>

  /// Takes ownership of `pointer` after checking that it is a key this gateway can use.
  /// - Throws: `invalidKey` (and frees `pointer`) for other key types, curves, or RSA keys
  ///   under 2048 bits (RFC 7518 §3.3 requires at least 2048).
  init(taking pointer: OpaquePointer) throws(AuthError) {
    let family: JWTAlgorithm.Family
    var algorithms: Set<JWTAlgorithm>? = nil
    switch EVP_PKEY_get_base_id(pointer) {
    case EVP_PKEY_RSA, EVP_PKEY_RSA_PSS:
      guard EVP_PKEY_get_bits(pointer) >= 2048 else {
        EVP_PKEY_free(pointer)
        throw AuthError(reason: .invalidKey, detail: "RSA key is shorter than 2048 bits.")
      }
      family = .rsa
      if EVP_PKEY_get_base_id(pointer) == EVP_PKEY_RSA_PSS { algorithms = [.ps256] }
    case EVP_PKEY_EC:
      switch Self.curveName(of: pointer) {
      case "prime256v1", "P-256": family = .ecP256
      case "secp384r1", "P-384": family = .ecP384
      default:
        EVP_PKEY_free(pointer)
        throw AuthError(reason: .invalidKey, detail: "EC key is on a curve other than P-256/P-384.")
      }
    case EVP_PKEY_ED25519:
      family = .ed25519
    default:
      EVP_PKEY_free(pointer)
      throw AuthError(
        reason: .invalidKey, detail: "Key type is not RSA, EC P-256/P-384 or Ed25519.")
    }
    self.pointer = pointer
    self.family = family
    self.algorithms = algorithms ?? family.algorithms
  }

  deinit {
    EVP_PKEY_free(pointer)
  }

  private static func curveName(of key: OpaquePointer) -> String? {
    var buffer = [CChar](repeating: 0, count: 64)
    var length = 0
    guard
      EVP_PKEY_get_utf8_string_param(
        key, OSSL_PKEY_PARAM_GROUP_NAME, &buffer, buffer.count, &length) == 1
    else {
      ERR_clear_error()
      return nil
    }
    return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Whether `signature` (as the JWS carries it) signs `message` under `algorithm`.
  ///
  /// The caller has checked that `algorithms` contains `algorithm`.
  func verify(
    _ signature: [UInt8], over message: UnsafeRawBufferPointer, algorithm: JWTAlgorithm
  ) -> Bool {
    var signature = signature
    switch algorithm {
    case .es256, .es384:
      // RFC 7518 §3.4: JWS carries R || S of fixed width; OpenSSL wants DER ECDSA-Sig-Value.
      let width = algorithm == .es256 ? 32 : 48
      guard let der = Self.derSignature(fromRaw: signature, width: width) else { return false }
      signature = der
    default:
      break
    }
    guard let context = EVP_MD_CTX_new() else { return false }
    defer { EVP_MD_CTX_free(context) }
    var keyContext: OpaquePointer? = nil
    guard EVP_DigestVerifyInit(context, &keyContext, algorithm.digest, nil, pointer) == 1
    else { return Self.fail() }
    if algorithm == .ps256 {
      // RFC 7518 §3.5: MGF1 with the same hash, salt as long as the digest.
      guard EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1,
        EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, RSA_PSS_SALTLEN_DIGEST) == 1,
        EVP_PKEY_CTX_set_rsa_mgf1_md(keyContext, algorithm.digest) == 1
      else { return Self.fail() }
    }
    let verified = signature.withUnsafeBufferPointer { signatureBytes in
      EVP_DigestVerify(
        context, signatureBytes.baseAddress, signatureBytes.count,
        message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count) == 1
    }
    return verified ? true : Self.fail()
  }

  /// Clears OpenSSL's per-thread error queue after a refusal, so old errors never leak into a
  /// later diagnosis, and answers false.
  private static func fail() -> Bool {
    ERR_clear_error()
    return false
  }

  /// DER `ECDSA-Sig-Value` for a raw `R || S` signature of `width`-byte halves.
  /// - Returns: nil if `raw` is not exactly `2 * width` bytes.
  static func derSignature(fromRaw raw: [UInt8], width: Int) -> [UInt8]? {
    guard raw.count == 2 * width, let signature = ECDSA_SIG_new() else { return nil }
    defer { ECDSA_SIG_free(signature) }
    let (r, s) = raw.withUnsafeBufferPointer { bytes in
      (
        BN_bin2bn(bytes.baseAddress, Int32(width), nil),
        BN_bin2bn(bytes.baseAddress.map { $0 + width }, Int32(width), nil)
      )
    }
    guard let r, let s, ECDSA_SIG_set0(signature, r, s) == 1 else {
      BN_free(r)
      BN_free(s)
      return nil
    }
    let length = i2d_ECDSA_SIG(signature, nil)
    guard length > 0 else { return nil }
    var der = [UInt8](repeating: 0, count: Int(length))
    let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
      var cursor = buffer.baseAddress
      return i2d_ECDSA_SIG(signature, &cursor)
    }
    return written == length ? der : nil
  }
}

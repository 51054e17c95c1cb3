import COpenSSL

extension OpenSSLPublicKey {
  /// Reads the first `PUBLIC KEY` (SubjectPublicKeyInfo) block of `pem`, or else the public
  /// key of its first `CERTIFICATE` block.
  /// - Throws: `invalidKey` if neither is there or the key is not usable.
  convenience init(pem: String) throws(AuthError) {
    let bytes = Array(pem.utf8)
    guard
      let key = Self.readPEM(bytes, certificate: false) ?? Self.readPEM(bytes, certificate: true)
    else {
      ERR_clear_error()
      throw AuthError(
        reason: .invalidKey, detail: "PEM holds no PUBLIC KEY or CERTIFICATE block OpenSSL reads.")
    }
    try self.init(taking: key)
  }

  private static func readPEM(_ bytes: [UInt8], certificate: Bool) -> OpaquePointer? {
    bytes.withUnsafeBytes { buffer -> OpaquePointer? in
      guard buffer.count <= Int(Int32.max),
        let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count))
      else { return nil }
      defer { BIO_free(bio) }
      guard certificate else { return PEM_read_bio_PUBKEY(bio, nil, nil, nil) }
      guard let x509 = PEM_read_bio_X509(bio, nil, nil, nil) else { return nil }
      defer { X509_free(x509) }
      return X509_get_pubkey(x509)
    }
  }

  /// Builds an RSA public key from its modulus and exponent (big-endian, as in a JWK).
  /// - Throws: `invalidKey` if OpenSSL refuses them or the modulus is under 2048 bits.
  convenience init(rsaModulus modulus: [UInt8], exponent: [UInt8]) throws(AuthError) {
    let n = modulus.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
    let e = exponent.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
    defer {
      BN_free(n)
      BN_free(e)
    }
    guard let n, let e, BN_is_zero(n) == 0, BN_is_zero(e) == 0,
      let key = Self.fromData(
        type: "RSA", strings: [OSSL_PKEY_PARAM_RSA_N, OSSL_PKEY_PARAM_RSA_E],
        push: { builder, names in
          OSSL_PARAM_BLD_push_BN(builder, names[0], n) == 1
            && OSSL_PARAM_BLD_push_BN(builder, names[1], e) == 1
        })
    else {
      throw AuthError(reason: .invalidKey, detail: "RSA modulus or exponent is not acceptable.")
    }
    try self.init(taking: key)
  }

  /// Builds an EC public key on `curve` ("P-256" or "P-384") from its affine coordinates.
  /// - Throws: `invalidKey` if the point is not on the curve.
  convenience init(curve: String, x: [UInt8], y: [UInt8]) throws(AuthError) {
    let point = [0x04] + x + y  // SEC 1 §2.3.3: uncompressed point.
    let key = Self.fromData(
      type: "EC", strings: [OSSL_PKEY_PARAM_GROUP_NAME, curve, OSSL_PKEY_PARAM_PUB_KEY],
      push: { builder, strings in
        OSSL_PARAM_BLD_push_utf8_string(builder, strings[0], strings[1], 0) == 1
          && point.withUnsafeBytes { bytes in
            OSSL_PARAM_BLD_push_octet_string(
              builder, strings[2], bytes.baseAddress, bytes.count) == 1
          }
      })
    guard let key, Self.publicCheck(key) else {
      EVP_PKEY_free(key)
      ERR_clear_error()
      throw AuthError(reason: .invalidKey, detail: "EC point is not on the named curve.")
    }
    try self.init(taking: key)
  }

  /// Builds an Ed25519 public key from its 32 raw bytes (RFC 8037 §2).
  /// - Throws: `invalidKey` if the bytes are not a valid key.
  convenience init(ed25519 raw: [UInt8]) throws(AuthError) {
    guard raw.count == 32,
      let key = raw.withUnsafeBufferPointer({
        EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, $0.baseAddress, $0.count)
      })
    else {
      ERR_clear_error()
      throw AuthError(reason: .invalidKey, detail: "Ed25519 public key is not 32 bytes.")
    }
    try self.init(taking: key)
  }

  /// Runs `EVP_PKEY_fromdata` for a public key of `type` with the parameters `push` adds.
  /// - Parameters:
  ///   - strings: parameter names and string values, handed to `push` as C strings that
  ///     live until the key is built (the builder keeps the pointers, see `withCStrings`).
  ///   - push: adds the parameters to the builder; false on failure.
  private static func fromData(
    type: String, strings: [String],
    push: (OpaquePointer, [UnsafeMutablePointer<CChar>]) -> Bool
  ) -> OpaquePointer? {
    withCStrings(strings) { cStrings -> OpaquePointer? in
      guard let builder = OSSL_PARAM_BLD_new() else { return nil }
      defer { OSSL_PARAM_BLD_free(builder) }
      guard push(builder, cStrings), let parameters = OSSL_PARAM_BLD_to_param(builder) else {
        return nil
      }
      defer { OSSL_PARAM_free(parameters) }
      guard let context = EVP_PKEY_CTX_new_from_name(nil, type, nil) else { return nil }
      defer { EVP_PKEY_CTX_free(context) }
      var key: OpaquePointer? = nil
      guard EVP_PKEY_fromdata_init(context) == 1,
        EVP_PKEY_fromdata(context, &key, publicKeySelection, parameters) == 1
      else {
        ERR_clear_error()
        return nil
      }
      return key
    }
  }

  /// Whether OpenSSL's public-key check passes (for EC: the point lies on the curve).
  private static func publicCheck(_ key: OpaquePointer) -> Bool {
    guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else { return false }
    defer { EVP_PKEY_CTX_free(context) }
    return EVP_PKEY_public_check(context) == 1
  }
}

/// `EVP_PKEY_PUBLIC_KEY`, a macro Swift cannot import: the public key and all parameters.
private let publicKeySelection = Int32(
  OSSL_KEYMGMT_SELECT_DOMAIN_PARAMETERS | OSSL_KEYMGMT_SELECT_OTHER_PARAMETERS
    | OSSL_KEYMGMT_SELECT_PUBLIC_KEY)

import COpenSSL
import Glibc
import Protocol

extension TLSContext {
  /// A throwaway certificate for `--dev --tls`, made in memory at start.
  struct SelfSigned: Sendable {
    /// A context serving it.
    var context: TLSContext
    /// SHA-256 of the certificate (DER), colon-separated hex as browsers show it.
    var fingerprint: String
    /// Base64 SHA-256 of the public key (SPKI), for Chromium's
    /// `--ignore-certificate-errors-spki-list`.
    var publicKeyHash: String
    /// The certificate as PEM, for clients to trust (`curl --cacert`, Python's `cafile`).
    var certificatePEM: String
  }

  /// A P-256 key and a self-signed certificate for `localhost`, `127.0.0.1` and `::1`, valid
  /// from an hour ago for 30 days, through the OpenSSL the gateway links; nothing is written.
  static func selfSigned() throws(Failure) -> SelfSigned {
    guard let key = generatedKey() else {
      throw Failure(description: "--tls: OpenSSL could not generate a P-256 key (\(lastError()))")
    }
    defer { EVP_PKEY_free(key) }
    guard let certificate = X509_new() else {
      throw Failure(description: "--tls: OpenSSL could not create a certificate")
    }
    defer { X509_free(certificate) }
    guard sign(certificate, key) else {
      throw Failure(description: "--tls: cannot make the certificate (\(lastError()))")
    }
    let context = try configured { context throws(Failure) in
      guard SSL_CTX_use_certificate(context, certificate) == 1,
        SSL_CTX_use_PrivateKey(context, key) == 1
      else { throw Failure(description: "--tls: cannot use the certificate (\(lastError()))") }
    }
    return SelfSigned(
      context: TLSContext(generated: context), fingerprint: fingerprint(of: certificate),
      publicKeyHash: publicKeyHash(of: certificate), certificatePEM: pem(of: certificate))
  }

  private static func generatedKey() -> OpaquePointer? {
    guard let parameters = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nil) else { return nil }
    defer { EVP_PKEY_CTX_free(parameters) }
    var key: OpaquePointer?
    guard EVP_PKEY_keygen_init(parameters) == 1,
      EVP_PKEY_CTX_set_ec_paramgen_curve_nid(parameters, NID_X9_62_prime256v1) == 1,
      EVP_PKEY_keygen(parameters, &key) == 1
    else { return nil }
    return key
  }

  private static func sign(_ certificate: OpaquePointer, _ key: OpaquePointer) -> Bool {
    var serial: UInt32 = 0
    arc4random_buf(&serial, MemoryLayout<UInt32>.size)
    guard X509_set_version(certificate, 2) == 1,  // v3
      ASN1_INTEGER_set(X509_get_serialNumber(certificate), Int(serial >> 1) + 1) == 1,
      X509_gmtime_adj(X509_getm_notBefore(certificate), -3600) != nil,
      X509_gmtime_adj(X509_getm_notAfter(certificate), 30 * 86_400) != nil,
      X509_set_pubkey(certificate, key) == 1,
      let name = X509_get_subject_name(certificate),
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, "localhost", -1, -1, 0) == 1,
      X509_set_issuer_name(certificate, name) == 1,
      let alternativeNames = X509V3_EXT_conf_nid(
        nil, nil, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1")
    else { return false }
    defer { X509_EXTENSION_free(alternativeNames) }
    return X509_add_ext(certificate, alternativeNames, -1) == 1
      && X509_sign(certificate, key, EVP_sha256()) > 0
  }

  private static func fingerprint(of certificate: OpaquePointer) -> String {
    var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    X509_digest(certificate, EVP_sha256(), &digest, &length)
    let hex = Array("0123456789ABCDEF".utf8)
    return digest.prefix(Int(length)).map {
      String(decoding: [hex[Int($0 >> 4)], hex[Int($0 & 15)]], as: UTF8.self)
    }.joined(separator: ":")
  }

  private static func publicKeyHash(of certificate: OpaquePointer) -> String {
    let publicKey = X509_get_X509_PUBKEY(certificate)
    let length = i2d_X509_PUBKEY(publicKey, nil)
    guard length > 0 else { return "" }
    var der = [UInt8](repeating: 0, count: Int(length))
    der.withUnsafeMutableBufferPointer { buffer in
      var cursor = buffer.baseAddress
      _ = i2d_X509_PUBKEY(publicKey, &cursor)
    }
    var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
    SHA256(der, der.count, &digest)
    return Base64.encode(digest)
  }

  private static func pem(of certificate: OpaquePointer) -> String {
    guard let memory = BIO_new(BIO_s_mem()) else { return "" }
    defer { BIO_free(memory) }
    guard PEM_write_bio_X509(memory, certificate) == 1 else { return "" }
    let pending = Int(BIO_ctrl_pending(memory))
    var bytes = [UInt8](repeating: 0, count: pending)
    let read = bytes.withUnsafeMutableBytes { BIO_read(memory, $0.baseAddress, Int32(pending)) }
    return String(decoding: bytes.prefix(Int(max(read, 0))), as: UTF8.self)
  }
}

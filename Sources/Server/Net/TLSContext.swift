import COpenSSL

/// A server TLS configuration (OpenSSL `SSL_CTX`): the certificate chain and private key from
/// PEM files, TLS 1.2 at least. Built once at start; each accepted connection gets its own
/// `TLSSession` from it.
///
/// `@unchecked Sendable`: the `SSL_CTX` is configured in `init` and never changed after;
/// OpenSSL allows `SSL_new` on one context from many threads at once.
final class TLSContext: @unchecked Sendable {
  /// Why TLS could not be set up: one sentence for the operator.
  struct Failure: Error, CustomStringConvertible, Sendable {
    var description: String
  }

  private let context: OpaquePointer

  /// Loads `certificateFile` (the leaf first, then intermediates) and `keyFile`, and checks
  /// that they belong together.
  init(certificateFile: String, keyFile: String) throws(Failure) {
    guard let context = SSL_CTX_new(TLS_server_method()) else {
      throw Failure(description: "OpenSSL could not create a TLS context")
    }
    self.context = context
    // SSL_CTX_set_min_proto_version is a macro over SSL_CTX_ctrl; TLS 1.0/1.1 are obsolete
    // (RFC 8996).
    _ = SSL_CTX_ctrl(context, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(TLS1_2_VERSION), nil)
    // SSL_CTX_set_mode (a macro too): give the record buffers back while a connection idles.
    _ = SSL_CTX_ctrl(context, SSL_CTRL_MODE, Int(SSL_MODE_RELEASE_BUFFERS), nil)
    guard SSL_CTX_use_certificate_chain_file(context, certificateFile) == 1 else {
      throw Failure(
        description:
          "GATEWAY_TLS_CERT_FILE: cannot load a PEM certificate chain from \(certificateFile) (\(Self.lastError()))"
      )
    }
    guard SSL_CTX_use_PrivateKey_file(context, keyFile, SSL_FILETYPE_PEM) == 1 else {
      throw Failure(
        description:
          "GATEWAY_TLS_KEY_FILE: \(keyFile) is not a PEM private key, or it does not match the certificate (\(Self.lastError()))"
      )
    }
    guard SSL_CTX_check_private_key(context) == 1 else {
      throw Failure(
        description: "GATEWAY_TLS_KEY_FILE does not match the certificate in GATEWAY_TLS_CERT_FILE")
    }
  }

  deinit {
    SSL_CTX_free(context)
  }

  /// The configured context: nil without TLS settings; a failure when only one of the two
  /// files is given or they do not load.
  static func load(for config: GatewayConfig) throws(Failure) -> TLSContext? {
    switch (config.tlsCertificateFile, config.tlsKeyFile) {
    case (nil, nil): return nil
    case (let certificate?, let key?):
      return try TLSContext(certificateFile: certificate, keyFile: key)
    case (nil, _?): throw Failure(description: "GATEWAY_TLS_KEY_FILE needs GATEWAY_TLS_CERT_FILE")
    case (_?, nil): throw Failure(description: "GATEWAY_TLS_CERT_FILE needs GATEWAY_TLS_KEY_FILE")
    }
  }

  /// A server-side session for one accepted connection; nil when OpenSSL is out of memory.
  func makeSession() -> TLSSession? {
    TLSSession(context: context)
  }

  /// OpenSSL's most recent error, as text (and the queue cleared).
  static func lastError() -> String {
    let code = ERR_get_error()
    ERR_clear_error()
    guard code != 0 else { return "no detail from OpenSSL" }
    var text = [CChar](repeating: 0, count: 256)
    ERR_error_string_n(code, &text, text.count)
    return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}

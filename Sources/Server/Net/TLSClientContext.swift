import COpenSSL

/// An OpenSSL client context for outgoing TLS (webhooks): TLS 1.2 or newer, the system's
/// trusted roots (`SSL_CERT_FILE` / `SSL_CERT_DIR` override them, as for any OpenSSL
/// program), peer verification on.
// @unchecked Sendable: the context is configured in `init` and never changed afterwards;
// OpenSSL documents an SSL_CTX as safe to share between threads for creating sessions
// (`SSL_new` takes its own reference), which is all the sender threads do with it.
final class TLSClientContext: @unchecked Sendable {
  let context: OpaquePointer

  /// Nil when OpenSSL cannot make a context.
  init?() {
    guard let context = SSL_CTX_new(TLS_client_method()) else { return nil }
    SSL_CTX_set_default_verify_paths(context)
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
    // SSL_CTX_set_min_proto_version is a macro over SSL_CTX_ctrl.
    SSL_CTX_ctrl(context, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(TLS1_2_VERSION), nil)
    self.context = context
  }

  deinit { SSL_CTX_free(context) }
}

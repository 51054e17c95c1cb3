import COpenSSL
import Synchronization

/// A server TLS configuration (OpenSSL `SSL_CTX`): the certificate chain and private key from
/// PEM files (or generated in memory for `--dev --tls`), TLS 1.2 and 1.3 only, a modern
/// cipher list, ALPN `http/1.1`. Built at start; each accepted connection gets its own
/// `TLSSession` from it. `reload()` (SIGHUP) swaps in a context built from the files again:
/// new handshakes use it, open sessions keep the one they started with (`SSL_new` holds a
/// reference to its context).
///
/// `@unchecked Sendable`: the `SSL_CTX` in `current` is fully configured before it is
/// published and never changed after; it is read and swapped only under the mutex, and
/// OpenSSL allows `SSL_new` on one context from many threads at once.
final class TLSContext: @unchecked Sendable {
  /// Why TLS could not be set up: one sentence for the operator.
  struct Failure: Error, CustomStringConvertible, Sendable {
    var description: String
  }

  /// Where the certificate came from.
  enum Source: Sendable, Equatable {
    /// PEM files, read again by `reload()`.
    case files(certificate: String, key: String)
    /// Made in memory at start (`--dev --tls`); nothing to reload.
    case generated
  }

  /// The source of the certificate.
  let source: Source
  private let current: Mutex<Handle>

  /// `@unchecked Sendable`: an `SSL_CTX` that is fully configured before it is wrapped and
  /// never changed after; OpenSSL's reference counting makes it safe to share.
  private struct Handle: @unchecked Sendable {
    let context: OpaquePointer
  }

  /// Loads `certificateFile` (the leaf first, then intermediates) and `keyFile`, and checks
  /// that they belong together.
  init(certificateFile: String, keyFile: String) throws(Failure) {
    source = .files(certificate: certificateFile, key: keyFile)
    current = Mutex(
      Handle(context: try Self.loaded(certificateFile: certificateFile, keyFile: keyFile)))
  }

  /// Wraps a configured `SSL_CTX` (from `configured(_:)`), which this object then owns.
  init(generated context: OpaquePointer) {
    source = .generated
    current = Mutex(Handle(context: context))
  }

  deinit {
    SSL_CTX_free(current.withLock { $0.context })
  }

  /// A server-side session for one accepted connection; nil when OpenSSL is out of memory.
  func makeSession() -> TLSSession? {
    current.withLock { TLSSession(context: $0.context) }
  }

  /// Reads the files again and, when they load and match, makes them the certificate of
  /// every new handshake; on failure the current one stays and the error says why.
  func reload() throws(Failure) {
    guard case .files(let certificate, let key) = source else {
      throw Failure(description: "the certificate was generated for --dev: nothing to reload")
    }
    let fresh = Handle(context: try Self.loaded(certificateFile: certificate, keyFile: key))
    let old = current.withLock { handle in
      defer { handle = fresh }
      return handle.context
    }
    SSL_CTX_free(old)  // sessions still using it hold their own reference
  }

  private static func loaded(certificateFile: String, keyFile: String) throws(Failure)
    -> OpaquePointer
  {
    try configured { context throws(Failure) in
      guard SSL_CTX_use_certificate_chain_file(context, certificateFile) == 1 else {
        throw Failure(
          description:
            "GATEWAY_TLS_CERT_FILE: cannot load a PEM certificate chain from \(certificateFile) (\(lastError()))"
        )
      }
      guard SSL_CTX_use_PrivateKey_file(context, keyFile, SSL_FILETYPE_PEM) == 1 else {
        throw Failure(
          description:
            "GATEWAY_TLS_KEY_FILE: \(keyFile) is not a PEM private key, or it does not match the certificate (\(lastError()))"
        )
      }
      guard SSL_CTX_check_private_key(context) == 1 else {
        throw Failure(
          description:
            "GATEWAY_TLS_KEY_FILE does not match the certificate in GATEWAY_TLS_CERT_FILE"
        )
      }
    }
  }

  /// Mozilla's "intermediate" TLS 1.2 suites: ECDHE with AES-GCM or ChaCha20-Poly1305 only
  /// (TLS 1.3's suites are all AEAD; OpenSSL's defaults stay).
  static let cipherList =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    + "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

  /// A new server `SSL_CTX` with the gateway's protocol settings, then `load` (certificate and
  /// key); freed again when `load` throws.
  static func configured(_ load: (OpaquePointer) throws(Failure) -> Void) throws(Failure)
    -> OpaquePointer
  {
    guard let context = SSL_CTX_new(TLS_server_method()) else {
      throw Failure(description: "OpenSSL could not create a TLS context")
    }
    // SSL_CTX_set_min/max_proto_version are macros over SSL_CTX_ctrl; TLS 1.0/1.1 are
    // obsolete (RFC 8996).
    _ = SSL_CTX_ctrl(context, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(TLS1_2_VERSION), nil)
    _ = SSL_CTX_ctrl(context, SSL_CTRL_SET_MAX_PROTO_VERSION, Int(TLS1_3_VERSION), nil)
    // SSL_CTX_set_mode (a macro too): give the record buffers back while a connection idles.
    _ = SSL_CTX_ctrl(context, SSL_CTRL_MODE, Int(SSL_MODE_RELEASE_BUFFERS), nil)
    // No TLS 1.2 renegotiation (a client could make the server redo handshakes at will):
    // SSL_OP_NO_RENEGOTIATION is SSL_OP_BIT(30), a macro Swift does not import.
    _ = SSL_CTX_set_options(context, UInt64(1) << 30)
    _ = SSL_CTX_set_cipher_list(context, cipherList)
    SSL_CTX_set_alpn_select_cb(
      context,
      { _, selected, selectedLength, offered, offeredLength, _ in
        guard let offered, let selected, let selectedLength,
          let index = TLSContext.http11(
            in: UnsafeBufferPointer(start: offered, count: Int(offeredLength)))
        else { return SSL_TLSEXT_ERR_NOACK }
        selected.pointee = offered + index
        selectedLength.pointee = UInt8(TLSContext.alpnHTTP11.count)
        return SSL_TLSEXT_ERR_OK
      }, nil)
    do {
      try load(context)
    } catch {
      SSL_CTX_free(context)
      throw error
    }
    return context
  }

  /// The one application protocol the gateway speaks.
  static let alpnHTTP11 = Array("http/1.1".utf8)

  /// Where `http/1.1` starts in a client's ALPN list (length-prefixed names), or nil: a
  /// client that offers only others (h2) gets no ALPN answer and speaks HTTP/1.1 anyway.
  static func http11(in offered: UnsafeBufferPointer<UInt8>) -> Int? {
    var index = 0
    while index < offered.count {
      let length = Int(offered[index])
      let start = index + 1
      guard start + length <= offered.count else { return nil }
      if length == alpnHTTP11.count, offered[start..<start + length].elementsEqual(alpnHTTP11) {
        return start
      }
      index = start + length
    }
    return nil
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

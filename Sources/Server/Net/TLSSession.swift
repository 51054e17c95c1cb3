import COpenSSL
import Protocol

/// One connection's TLS state: an OpenSSL `SSL` over two memory BIOs, so the socket I/O
/// stays where it is (`SocketChannel` still does the `recv` and `sendmsg`) and TLS is a
/// transformation between them: ciphertext in → plaintext out, plaintext in → ciphertext out.
///
/// ```
///   recv ──> rbio ──> SSL_read ──> plaintext (HTTP parser)
///   sendmsg <── wbio <── SSL_write <── plaintext (responses, frames)
///                 └──── handshake records, alerts
/// ```
///
/// `@unchecked Sendable`: `SSL` is not thread-safe, so every method is called with the
/// owning `SocketChannel`'s state lock held (reads and writes alike); nothing else holds a
/// reference.
final class TLSSession: @unchecked Sendable {
  /// What one batch of ciphertext gave.
  enum Received: Equatable {
    /// This many plaintext bytes were appended (possibly zero: handshake records only).
    case plaintext(Int)
    /// The peer sent close_notify.
    case closed
    /// A protocol error (bad record, failed handshake): the connection is over.
    case failed
    /// The first bytes are a plain-HTTP request, not a TLS record: answer
    /// `plainHTTPAnswer` in plain text and close.
    case plainHTTP
  }

  /// What a plain-HTTP request to the TLS port gets before the close: a 400 in the API's
  /// error shape, unencrypted, so `curl http://…` says what is wrong instead of "empty reply".
  static let plainHTTPAnswer: [UInt8] = {
    let body =
      #"{"statusCode":400,"message":"This port serves HTTPS only: use https:// (or wss://)","error":"Bad Request"}"#
    return Array(
      ("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\n"
        + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body).utf8)
  }()

  private let ssl: OpaquePointer
  private let input: OpaquePointer
  private let output: OpaquePointer
  private var receivedAny = false

  /// A server-side session of `context` (an `SSL_CTX`); nil when OpenSSL is out of memory.
  init?(context: OpaquePointer) {
    guard let ssl = SSL_new(context) else { return nil }
    guard let input = BIO_new(BIO_s_mem()), let output = BIO_new(BIO_s_mem()) else {
      SSL_free(ssl)
      return nil
    }
    self.ssl = ssl
    self.input = input
    self.output = output
    SSL_set_bio(ssl, input, output)  // the SSL owns both BIOs from here
    SSL_set_accept_state(ssl)
  }

  deinit {
    SSL_free(ssl)
  }

  /// Feeds ciphertext from the socket and appends every plaintext byte it completes.
  ///
  /// `scratch` receives the plaintext on its way to `buffer`; it may be the memory that
  /// holds `ciphertext`, which the input BIO has copied before the first `SSL_read` (the
  /// channel passes its per-thread receive buffer, so no connection owns one).
  func receive(
    _ ciphertext: UnsafeRawBufferPointer, scratch: UnsafeMutableRawBufferPointer,
    into buffer: inout ByteBuffer
  ) -> Received {
    if !receivedAny, let first = ciphertext.first {
      receivedAny = true
      // A TLS connection opens with a handshake record (0x16); an HTTP request with its
      // method's first capital letter.
      if (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first) { return .plainHTTP }
    }
    if ciphertext.count > 0 {
      guard BIO_write(input, ciphertext.baseAddress, Int32(ciphertext.count)) == ciphertext.count
      else { return .failed }
    }
    var total = 0
    while true {
      let count = SSL_read(ssl, scratch.baseAddress, Int32(min(scratch.count, Int(Int32.max))))
      if count > 0 {
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: scratch[..<Int(count)]))
        total += Int(count)
        continue
      }
      switch SSL_get_error(ssl, count) {
      case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
        return .plaintext(total)
      case SSL_ERROR_ZERO_RETURN:
        return total > 0 ? .plaintext(total) : .closed
      default:
        ERR_clear_error()
        return .failed
      }
    }
  }

  /// Whether the handshake has completed (application data may flow).
  var isHandshakeFinished: Bool { SSL_is_init_finished(ssl) == 1 }

  /// The protocol ALPN agreed on (`http/1.1`), or nil when the client offered none we speak.
  var negotiatedProtocol: String? {
    var name: UnsafePointer<UInt8>?
    var length: UInt32 = 0
    SSL_get0_alpn_selected(ssl, &name, &length)
    guard let name, length > 0 else { return nil }
    return String(decoding: UnsafeBufferPointer(start: name, count: Int(length)), as: UTF8.self)
  }

  /// Encrypts `chunks` in order into TLS records; nil when the session cannot send (the
  /// handshake is not finished, or it failed).
  func encrypt(_ chunks: [[UInt8]]) -> [UInt8]? {
    for chunk in chunks where !chunk.isEmpty {
      let written = chunk.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
      guard written == chunk.count else {
        ERR_clear_error()
        return nil
      }
    }
    return takeOutput()
  }

  /// Ciphertext waiting to go to the socket (handshake records, alerts, encrypted data).
  func takeOutput() -> [UInt8] {
    let pending = Int(BIO_ctrl_pending(output))
    guard pending > 0 else { return [] }
    var bytes = [UInt8](repeating: 0, count: pending)
    let read = bytes.withUnsafeMutableBytes { BIO_read(output, $0.baseAddress, Int32(pending)) }
    return read > 0 ? Array(bytes.prefix(Int(read))) : []
  }
}

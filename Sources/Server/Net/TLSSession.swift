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
  }

  private let ssl: OpaquePointer
  private let input: OpaquePointer
  private let output: OpaquePointer

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

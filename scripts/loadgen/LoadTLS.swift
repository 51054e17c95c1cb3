import CLoadSystem
import Protocol

/// One client TLS session over memory BIOs (`--tls`): ciphertext from the socket in,
/// plaintext out; plaintext written before the handshake finished is held and sent after.
/// The server's certificate is not verified (a benchmark against a local test certificate).
final class LoadTLS {
  private let ssl: OpaquePointer
  private let input: OpaquePointer
  private let output: OpaquePointer
  private var held: [[UInt8]] = []
  private var plaintext = [UInt8](repeating: 0, count: 16_384)

  /// A client session of `context`; nil when OpenSSL is out of memory.
  init?(context: OpaquePointer) {
    guard let ssl = SSL_new(context) else { return nil }
    guard let input = BIO_new(BIO_s_mem()), let output = BIO_new(BIO_s_mem()) else {
      SSL_free(ssl)
      return nil
    }
    self.ssl = ssl
    self.input = input
    self.output = output
    SSL_set_bio(ssl, input, output)
    SSL_set_connect_state(ssl)
  }

  deinit {
    SSL_free(ssl)
  }

  /// A client `SSL_CTX` offering ALPN `http/1.1`, without certificate verification.
  static func makeContext() -> OpaquePointer? {
    guard let context = SSL_CTX_new(TLS_client_method()) else { return nil }
    let alpn: [UInt8] = [8] + Array("http/1.1".utf8)
    _ = SSL_CTX_set_alpn_protos(context, alpn, UInt32(alpn.count))
    return context
  }

  /// Starts the handshake: the ClientHello to send.
  func start() -> [UInt8] {
    _ = SSL_do_handshake(ssl)
    return takeOutput()
  }

  /// Records for `bytes` (empty while the handshake runs: held until it is done); nil on
  /// a failed session.
  func encrypt(_ bytes: [UInt8]) -> [UInt8]? {
    guard SSL_is_init_finished(ssl) == 1 else {
      held.append(bytes)
      return []
    }
    let written = bytes.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
    guard written == bytes.count else { return nil }
    return takeOutput()
  }

  /// Feeds ciphertext and appends the plaintext it completes; false on a protocol error.
  func receive(_ ciphertext: UnsafeRawBufferPointer, into buffer: inout ByteBuffer) -> Bool {
    guard BIO_write(input, ciphertext.baseAddress, Int32(ciphertext.count)) == ciphertext.count
    else { return false }
    let wasFinished = SSL_is_init_finished(ssl) == 1
    while true {
      let count = plaintext.withUnsafeMutableBytes {
        SSL_read(ssl, $0.baseAddress, Int32($0.count))
      }
      if count > 0 {
        plaintext.withUnsafeBytes {
          buffer.writeBytes(UnsafeRawBufferPointer(rebasing: $0[0..<Int(count)]))
        }
        continue
      }
      let error = SSL_get_error(ssl, count)
      guard error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE else { return false }
      break
    }
    if !wasFinished, SSL_is_init_finished(ssl) == 1 {
      let waiting = held
      held = []
      for bytes in waiting {
        let written = bytes.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
        guard written == bytes.count else { return false }
      }
    }
    return true
  }

  /// Ciphertext waiting for the socket (handshake records, encrypted data).
  func takeOutput() -> [UInt8] {
    let pending = Int(BIO_ctrl_pending(output))
    guard pending > 0 else { return [] }
    var bytes = [UInt8](repeating: 0, count: pending)
    let read = bytes.withUnsafeMutableBytes { BIO_read(output, $0.baseAddress, Int32(pending)) }
    return read > 0 ? Array(bytes.prefix(Int(read))) : []
  }
}

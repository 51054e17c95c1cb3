import COpenSSL
import Glibc
import Protocol
import Testing

@testable import Server

/// `TLSContext` against an OpenSSL client in memory (two BIOs, no sockets): ALPN, the
/// reload on SIGHUP, the `--dev --tls` certificate, and what the first bytes of a connection
/// that is not TLS give.
@Suite struct TLSContextTests {
  /// An OpenSSL client over memory BIOs, pumped by hand against a server `TLSSession`.
  final class MemoryClient {
    /// The client's `SSL_CTX` (no verification: the tests compare fingerprints instead).
    let context: OpaquePointer
    /// The client's `SSL`.
    let ssl: OpaquePointer
    private let input: OpaquePointer
    private let output: OpaquePointer

    /// A client offering `alpn`, not yet started.
    init(alpn: [String] = []) throws {
      context = try #require(SSL_CTX_new(TLS_client_method()))
      ssl = try #require(SSL_new(context))
      input = BIO_new(BIO_s_mem())
      output = BIO_new(BIO_s_mem())
      SSL_set_bio(ssl, input, output)
      SSL_set_connect_state(ssl)
      let list = alpn.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
      if !list.isEmpty { _ = SSL_set_alpn_protos(ssl, list, UInt32(list.count)) }
    }

    deinit {
      SSL_free(ssl)
      SSL_CTX_free(context)
    }

    /// Runs the handshake to its end; true when both sides finished.
    func handshake(with server: TLSSession) -> Bool {
      var scratch = [UInt8](repeating: 0, count: 65_536)
      var buffer = ByteBuffer()
      for _ in 0..<10 {
        _ = SSL_do_handshake(ssl)
        let flight = drain(output)
        let received = scratch.withUnsafeMutableBytes { scratch in
          flight.withUnsafeBytes { server.receive($0, scratch: scratch, into: &buffer) }
        }
        guard received != .failed else { return false }
        let answer = server.takeOutput()
        _ = answer.withUnsafeBytes { BIO_write(input, $0.baseAddress, Int32($0.count)) }
        if SSL_is_init_finished(ssl) == 1, server.isHandshakeFinished { return true }
      }
      return false
    }

    /// SHA-256 of the certificate the server presented, as `TLSContext` formats it.
    var peerFingerprint: String? {
      guard let certificate = SSL_get1_peer_certificate(ssl) else { return nil }
      defer { X509_free(certificate) }
      var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
      var length: UInt32 = 0
      X509_digest(certificate, EVP_sha256(), &digest, &length)
      return digest.prefix(Int(length)).map { byte in
        let hex = String(byte, radix: 16, uppercase: true)
        return hex.count == 1 ? "0" + hex : hex
      }.joined(separator: ":")
    }

    private func drain(_ bio: OpaquePointer) -> [UInt8] {
      let pending = Int(BIO_ctrl_pending(bio))
      var bytes = [UInt8](repeating: 0, count: pending)
      let read = bytes.withUnsafeMutableBytes { BIO_read(bio, $0.baseAddress, Int32(pending)) }
      return Array(bytes.prefix(Int(max(read, 0))))
    }
  }

  private func receive(_ bytes: [UInt8], _ session: TLSSession) -> TLSSession.Received {
    var scratch = [UInt8](repeating: 0, count: 4096)
    var buffer = ByteBuffer()
    return scratch.withUnsafeMutableBytes { scratch in
      bytes.withUnsafeBytes { session.receive($0, scratch: scratch, into: &buffer) }
    }
  }

  @Test func alpnAgreesOnHTTP11AndAClientWithoutItStillConnects() throws {
    let files = try TLSSessionTests.certificate()
    let context = try TLSContext(certificateFile: files.certificate, keyFile: files.key)
    let server = try #require(context.makeSession())
    #expect(!server.isHandshakeFinished)
    #expect(try MemoryClient(alpn: ["h2", "http/1.1"]).handshake(with: server))
    #expect(server.negotiatedProtocol == "http/1.1")
    let other = try #require(context.makeSession())
    #expect(try MemoryClient(alpn: ["h2"]).handshake(with: other))
    #expect(other.negotiatedProtocol == nil)
  }

  @Test func reloadServesTheNewCertificateToNewSessionsOnlyAndKeepsItOnABadFile() throws {
    let first = try TLSSessionTests.certificate()
    let second = try TLSSessionTests.certificate()
    let context = try TLSContext(certificateFile: first.certificate, keyFile: first.key)
    let before = try MemoryClient()
    let old = try #require(context.makeSession())
    #expect(before.handshake(with: old))
    let oldPrint = try #require(before.peerFingerprint)

    #expect(rename(second.certificate, first.certificate) == 0)
    #expect(rename(second.key, first.key) == 0)
    try context.reload()
    let after = try MemoryClient()
    #expect(after.handshake(with: try #require(context.makeSession())))
    let newPrint = try #require(after.peerFingerprint)
    #expect(newPrint != oldPrint)
    #expect(before.peerFingerprint == oldPrint)  // the open session kept its certificate

    let broken = fopen(first.certificate, "w")
    fputs("not a certificate", broken)
    fclose(broken)
    #expect(throws: TLSContext.Failure.self) { try context.reload() }
    let still = try MemoryClient()
    #expect(still.handshake(with: try #require(context.makeSession())))
    #expect(still.peerFingerprint == newPrint)
  }

  @Test func theDevCertificateServesAndPrintsItsFingerprint() throws {
    let made = try TLSContext.selfSigned()
    #expect(made.context.source == .generated)
    #expect(made.fingerprint.count == 32 * 3 - 1)
    #expect(made.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
    #expect(Base64.decode(made.publicKeyHash)?.count == 32)
    let client = try MemoryClient(alpn: ["http/1.1"])
    #expect(client.handshake(with: try #require(made.context.makeSession())))
    #expect(client.peerFingerprint == made.fingerprint)
    #expect(throws: TLSContext.Failure.self) { try made.context.reload() }
  }

  @Test func plainHTTPIsRecognisedAndGarbageFails() throws {
    let made = try TLSContext.selfSigned()
    let plain = try #require(made.context.makeSession())
    #expect(receive(Array("GET /healthz HTTP/1.1\r\n\r\n".utf8), plain) == .plainHTTP)
    let answer = String(decoding: TLSSession.plainHTTPAnswer, as: UTF8.self)
    #expect(answer.hasPrefix("HTTP/1.1 400 Bad Request\r\n") && answer.contains("https://"))
    let garbage = try #require(made.context.makeSession())
    #expect(
      receive([0x16, 0x03, 0x01, 0x00, 0x05] + Array("hello-not-tls".utf8), garbage) == .failed)
  }
}

import COpenSSL
import Glibc
import Protocol
import Testing

@testable import Server

/// TLS through a real `SocketChannel` over `socketpair(2)`: an OpenSSL client on the raw end
/// (blocking, on a thread of its own) against the channel's server session, with a
/// certificate the `openssl` CLI makes for the test.
@Suite struct TLSSessionTests {
  /// A self-signed P-256 certificate and its key, in a fresh temporary folder, made by the
  /// `openssl` CLI (spawned with `posix_spawnp`: Foundation's `Process` leaks a weak
  /// reference per run, which LeakSanitizer reports).
  static func certificate() throws -> (certificate: String, key: String) {
    var template = Array("/tmp/tls-test-XXXXXX".utf8CString)
    guard let folder = mkdtemp(&template).map({ String(cString: $0) }) else {
      throw TestSocket.Failure(description: "mkdtemp failed")
    }
    let certificate = folder + "/cert.pem"
    let key = folder + "/key.pem"
    let arguments = [
      "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
      "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=localhost",
    ]
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for argument in argv { free(argument) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var child = pid_t()
    guard posix_spawnp(&child, "openssl", &actions, nil, &argv, environ) == 0 else {
      throw TestSocket.Failure(description: "cannot run openssl")
    }
    var status: Int32 = 0
    waitpid(child, &status, 0)
    guard status == 0 else { throw TestSocket.Failure(description: "openssl req failed") }
    return (certificate, key)
  }

  /// Connects an OpenSSL client on `fd`, sends `request`, reads `answerLength` bytes back.
  static func clientExchange(fd: Int32, request: [UInt8], answerLength: Int) -> [UInt8]? {
    guard let context = SSL_CTX_new(TLS_client_method()), let ssl = SSL_new(context) else {
      return nil
    }
    defer {
      SSL_free(ssl)
      SSL_CTX_free(context)
    }
    SSL_set_fd(ssl, fd)
    guard SSL_connect(ssl) == 1 else { return nil }
    let written = request.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
    guard written == request.count else { return nil }
    var answer: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 16_384)
    while answer.count < answerLength {
      let read = chunk.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
      guard read > 0 else { return nil }
      answer += chunk[0..<Int(read)]
    }
    return answer
  }

  @Test func aClientHandshakesSendsAndReceivesThroughTheChannel() async throws {
    let files = try Self.certificate()
    let context = try TLSContext(certificateFile: files.certificate, keyFile: files.key)
    let session: TLSSession = try #require(context.makeSession())
    let pair = try TestChannelPair(tls: session)
    let request = Array("GET / HTTP/1.1\r\n\r\n".utf8)
    let answer = [UInt8](repeating: UInt8(ascii: "z"), count: 100_000)  // many TLS records
    let fd = pair.clientFD
    async let clientSaw = TestSocket.offloadNonThrowing {
      Self.clientExchange(fd: fd, request: request, answerLength: answer.count)
    }
    var buffer = ByteBuffer()
    var readable = pair.server.readable.makeAsyncIterator()
    while buffer.readableBytes < request.count {
      let outcome = await pair.readPastWouldBlock(into: &buffer, waitingOn: &readable)
      guard case .bytes = outcome else {
        Issue.record("server read ended: \(outcome)")
        break
      }
    }
    #expect(buffer.readBytes(length: buffer.readableBytes) == request)
    #expect(pair.server.write(answer) == .queued)
    #expect(await clientSaw == answer)
    await pair.close()
  }

  @Test func bytesThatAreNotTLSFailTheRead() async throws {
    let files = try Self.certificate()
    let context = try TLSContext(certificateFile: files.certificate, keyFile: files.key)
    let session: TLSSession = try #require(context.makeSession())
    let pair = try TestChannelPair(tls: session)
    pair.writeFromClient(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
    var buffer = ByteBuffer()
    var readable = pair.server.readable.makeAsyncIterator()
    let outcome = await pair.readPastWouldBlock(into: &buffer, waitingOn: &readable)
    #expect(outcome == .failed(EPROTO))
    #expect(buffer.readableBytes == 0)
    await pair.close()
  }

  @Test func loadNeedsBothFilesAndSaysWhichIsWrong() throws {
    var config = GatewayConfig()
    #expect(try TLSContext.load(for: config) == nil)
    config.tlsCertificateFile = "/nonexistent/cert.pem"
    #expect(throws: TLSContext.Failure.self) { try TLSContext.load(for: config) }
    config.tlsKeyFile = "/nonexistent/key.pem"
    do {
      _ = try TLSContext.load(for: config)
      Issue.record("loaded a missing file")
    } catch {
      #expect(error.description.hasPrefix("GATEWAY_TLS_CERT_FILE: cannot load"))
    }
  }
}

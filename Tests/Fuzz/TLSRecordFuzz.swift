import COpenSSL
import Protocol

/// libFuzzer entry point of the `tls` target.
@_cdecl("LLVMFuzzerTestOneInput")
public func tlsRecordFuzzEntry(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  TLSRecordFuzz.run(FuzzInput(start, count))
  return 0
}

/// Fuzzes the server side of the TLS record path: a fresh `TLSSession` (of a context with a
/// self-signed P-256 certificate, made once) fed bytes as a client's connection would
/// bring them, in fuzzer-chosen pieces, exactly as `SocketChannel` feeds it (receive, then
/// take the output).
///
/// Options, bits 0-1, the mode:
/// - 0 or 3: the data is the connection's bytes;
/// - 1: a real ClientHello (made once by an OpenSSL client in memory, offering ALPN
///   `h2,http/1.1`) with the data XORed over it from the split byte's offset;
/// - 2: that ClientHello intact, then the data (a forged second flight).
/// Bit 2 feeds the ClientHello of modes 1-2 byte by byte.
///
/// Invariants: every call returns (`.plaintext`, `.closed`, `.failed` or `.plainHTTP`) and
/// nothing is fed after an ending one, as the channel stops; `.plainHTTP` comes exactly
/// when the first byte is a capital letter, on the first call; no plaintext ever comes out
/// and the handshake never finishes (no input can complete one without the client's key);
/// nothing can be encrypted before the handshake; each flight of output stays below 64 KB.
///
/// libFuzzer's coverage covers the Swift code only (OpenSSL is not instrumented), so the
/// modes that start from a real ClientHello carry the search into OpenSSL's parser.
enum TLSRecordFuzz {
  static let context: TLSContext = {
    do {
      return try TLSContext.selfSigned().context
    } catch {
      fatalError("cannot make the fuzz certificate: \(error)")
    }
  }()

  static let clientHello = makeClientHello()

  static func run(_ input: FuzzInput) {
    guard let session = context.makeSession() else { return }
    var flights: [[UInt8]] = []
    switch input.choice(at: 0) {
    case 1:
      var hello = clientHello
      let start = Int(input.split)
      for (index, byte) in input.data.enumerated() {
        hello[(start + index) % hello.count] ^= byte
      }
      flights = input.option(2) ? hello.map { [$0] } : [hello]
    case 2:
      flights = input.option(2) ? clientHello.map { [$0] } : [clientHello]
      flights += pieces(of: input)
    default:
      flights = pieces(of: input)
    }
    var scratch = [UInt8](repeating: 0, count: 16_384)
    var buffer = ByteBuffer()
    var first = true
    for flight in flights where !flight.isEmpty {
      let received = scratch.withUnsafeMutableBytes { scratch in
        flight.withUnsafeBytes { session.receive($0, scratch: scratch, into: &buffer) }
      }
      let capital = first && (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(flight[0])
      FuzzCheck.require(
        (received == .plainHTTP) == capital, "plainHTTP is exactly a capital first byte")
      first = false
      let output = session.takeOutput()
      FuzzCheck.require(output.count < 65_536, "a flight of \(output.count) bytes")
      FuzzCheck.require(buffer.readableBytes == 0, "plaintext without a handshake")
      FuzzCheck.require(!session.isHandshakeFinished, "a handshake finished without a client")
      switch received {
      case .plaintext(let count): FuzzCheck.require(count == 0, "plaintext count \(count)")
      case .closed, .failed, .plainHTTP: return
      }
    }
    FuzzCheck.require(session.encrypt([[1, 2, 3]]) == nil, "encrypted before the handshake")
  }

  private static func pieces(of input: FuzzInput) -> [[UInt8]] {
    var offset = 0
    return input.pieces().map { size in
      defer { offset += size }
      return Array(input.data[offset..<offset + size])
    }
  }

  /// The first flight of an OpenSSL client (its ClientHello, offering ALPN `h2,http/1.1`),
  /// made in memory; empty when OpenSSL fails.
  private static func makeClientHello() -> [UInt8] {
    guard let context = SSL_CTX_new(TLS_client_method()), let ssl = SSL_new(context) else {
      return []
    }
    defer {
      SSL_free(ssl)
      SSL_CTX_free(context)
    }
    guard let input = BIO_new(BIO_s_mem()), let output = BIO_new(BIO_s_mem()) else { return [] }
    SSL_set_bio(ssl, input, output)
    SSL_set_connect_state(ssl)
    let alpn: [UInt8] = [2] + Array("h2".utf8) + [8] + Array("http/1.1".utf8)
    _ = SSL_set_alpn_protos(ssl, alpn, UInt32(alpn.count))
    _ = SSL_do_handshake(ssl)  // wants to read the server's answer: the hello is written
    let pending = Int(BIO_ctrl_pending(output))
    var bytes = [UInt8](repeating: 0, count: pending)
    let read = bytes.withUnsafeMutableBytes { BIO_read(output, $0.baseAddress, Int32(pending)) }
    return Array(bytes.prefix(Int(max(read, 0))))
  }
}

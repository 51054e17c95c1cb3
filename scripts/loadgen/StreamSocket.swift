import CLoadSystem
import Glibc
import Protocol

/// What one `StreamSocket.read` call found.
enum StreamRead: Equatable {
  /// This many bytes were appended.
  case bytes(Int)
  /// Nothing more now.
  case wouldBlock
  /// The peer closed its side.
  case endOfFile
  /// The connection failed with this errno (refused, reset).
  case failed(Int32)
}

/// A non-blocking TCP client socket with an output queue flushed on writability; over TLS
/// when `tlsContext` is set (`--tls`).
struct StreamSocket {
  /// The descriptor (-1 once closed).
  private(set) var fd: Int32
  private var output: [UInt8] = []
  private var outputOffset = 0
  private var tls: LoadTLS?

  /// The client `SSL_CTX` every new socket uses (`--tls`), set once by `main` before any
  /// socket exists; nil for plain TCP. The generator is single-threaded.
  nonisolated(unsafe) static var tlsContext: OpaquePointer?

  /// Linux's IP_BIND_ADDRESS_NO_PORT (linux/in.h): bind the address now, pick the port at
  /// connect time by the whole 4-tuple.
  private static let bindAddressNoPort: Int32 = 24

  /// Starts a non-blocking connect to `address`, from `source` when given (an address
  /// only; the port is chosen at connect time); nil when no socket could be made (out of
  /// descriptors).
  ///
  /// With ~19,000 connections from one source address the kernel's search for a free
  /// ephemeral port dominated the generator's CPU (connects fell to ~700/s); spreading
  /// clients over 127.0.0.x sources keeps every search short.
  static func connect(to address: sockaddr_in, from source: in_addr? = nil) -> StreamSocket? {
    let fd = socket(
      AF_INET,
      Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
      0)
    guard fd >= 0 else { return nil }
    var one: Int32 = 1
    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(4))
    if let source {
      setsockopt(fd, Int32(IPPROTO_IP), bindAddressNoPort, &one, socklen_t(4))
      var local = sockaddr_in()
      local.sin_family = sa_family_t(AF_INET)
      local.sin_addr = source
      let bound = withUnsafePointer(to: &local) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
      if bound != 0 {
        Glibc.close(fd)
        return nil
      }
    }
    var target = address
    let result = withUnsafePointer(to: &target) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    if result != 0, errno != EINPROGRESS {
      Glibc.close(fd)
      return nil
    }
    var socket = StreamSocket(fd: fd)
    if let context = tlsContext {
      guard let session = LoadTLS(context: context) else {
        Glibc.close(fd)
        return nil
      }
      socket.tls = session
      _ = socket.rawWrite(session.start())  // the ClientHello, sent once connected
    }
    return socket
  }

  /// An IPv4 address for `host` (dotted quad) and `port`.
  static func address(host: String, port: Int) -> sockaddr_in? {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr) == 1
    else { return nil }
    return address
  }

  private init(fd: Int32) {
    self.fd = fd
  }

  /// Bytes accepted but not yet handed to the kernel.
  var pendingBytes: Int { output.count - outputOffset }

  /// Sends `bytes` after anything already queued (over TLS: encrypted, held until the
  /// handshake is done); false when the connection failed.
  mutating func write(_ bytes: [UInt8]) -> Bool {
    guard let tls else { return rawWrite(bytes) }
    guard let records = tls.encrypt(bytes) else { return false }
    return records.isEmpty || rawWrite(records)
  }

  private mutating func rawWrite(_ bytes: [UInt8]) -> Bool {
    if pendingBytes == 0 {
      output.removeAll(keepingCapacity: true)
      outputOffset = 0
      let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      if sent == bytes.count { return true }
      if sent < 0, errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR { return false }
      output.append(contentsOf: bytes[max(sent, 0)...])
      return true
    }
    output.append(contentsOf: bytes)
    return flush()
  }

  /// Hands queued bytes to the kernel until it pushes back; false when the connection failed.
  mutating func flush() -> Bool {
    while pendingBytes > 0 {
      let sent = output.withUnsafeBytes { raw in
        send(fd, raw.baseAddress! + outputOffset, raw.count - outputOffset, Int32(MSG_NOSIGNAL))
      }
      if sent < 0 {
        if errno == EINTR { continue }
        return errno == EAGAIN || errno == EWOULDBLOCK
      }
      outputOffset += sent
    }
    output.removeAll(keepingCapacity: output.capacity <= 4096)
    outputOffset = 0
    return true
  }

  /// Reads what is there (at most the scratch size) and appends it to `buffer` (over TLS:
  /// the plaintext, after sending what the session answers).
  mutating func read(into buffer: inout ByteBuffer, scratch: UnsafeMutableRawBufferPointer)
    -> StreamRead
  {
    while true {
      let count = recv(fd, scratch.baseAddress, scratch.count, 0)
      if count > 0, let tls {
        let before = buffer.readableBytes
        guard tls.receive(UnsafeRawBufferPointer(rebasing: scratch[0..<count]), into: &buffer)
        else { return .failed(EPROTO) }
        let answer = tls.takeOutput()
        if !answer.isEmpty, !rawWrite(answer) { return .failed(EPIPE) }
        if buffer.readableBytes > before { return .bytes(buffer.readableBytes - before) }
        continue
      }
      if count > 0 {
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
        return .bytes(count)
      }
      if count == 0 { return .endOfFile }
      switch errno {
      case EINTR: continue
      case EAGAIN, EWOULDBLOCK: return .wouldBlock
      case let error: return .failed(error)
      }
    }
  }

  /// Closes the descriptor; `abort` resets the connection instead of a graceful FIN.
  mutating func close(abort: Bool = false) {
    guard fd >= 0 else { return }
    if abort {
      var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
    }
    Glibc.close(fd)
    fd = -1
    tls = nil
    output = []
    outputOffset = 0
  }
}

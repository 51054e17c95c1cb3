import COpenSSL
import CSystem
import Glibc

/// One blocking connection to the webhook receiver, owned by one sender thread and kept alive
/// between requests; plain TCP or TLS through OpenSSL (certificate and host name verified).
/// Every wait has the request timeout (connect, send, receive).
final class WebhookConnection {
  /// A failed exchange: the connection is dropped and the event retried.
  struct Failure: Error {
    var message: String
  }

  /// Largest answer read (a sync client event's JSON answer; anything else is ignored).
  static let maxResponseBytes = 1 << 20

  private let url: WebhookURL
  private let timeoutMilliseconds: Int
  private let tls: OpaquePointer?
  private var fd: Int32 = -1
  private var ssl: OpaquePointer?
  private var buffered: [UInt8] = []

  init(url: WebhookURL, timeoutMilliseconds: Int, tls: OpaquePointer?) {
    self.url = url
    self.timeoutMilliseconds = timeoutMilliseconds
    self.tls = tls
  }

  deinit { disconnect() }

  /// Sends one request and reads its answer; reconnects once when a kept-alive connection
  /// turned out closed.
  func exchange(_ request: [UInt8]) throws(Failure) -> (status: Int, body: [UInt8]) {
    let reused = fd >= 0
    do {
      if fd < 0 { try connect() }
      try write(request)
      return try readResponse()
    } catch {
      disconnect()
      guard reused else { throw error }
      try connect()
      try write(request)
      return try readResponse()
    }
  }

  func disconnect() {
    if let ssl {
      SSL_free(ssl)
      self.ssl = nil
    }
    if fd >= 0 {
      close(fd)
      fd = -1
    }
    buffered.removeAll()
  }

  private func connect() throws(Failure) {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(url.host, "\(url.port)", &hints, &list) == 0, let first = list else {
      throw Failure(message: "cannot resolve \(url.host)")
    }
    defer { freeaddrinfo(list) }
    var entry: UnsafeMutablePointer<addrinfo>? = first
    while let address = entry {
      if let socket = openSocket(address.pointee) {
        fd = socket
        break
      }
      entry = address.pointee.ai_next
    }
    guard fd >= 0 else { throw Failure(message: "cannot connect to \(url.hostHeader)") }
    var timeout = timeval(
      tv_sec: timeoutMilliseconds / 1000, tv_usec: (timeoutMilliseconds % 1000) * 1000)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var one: Int32 = 1
    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    if let tls { try handshake(tls) }
  }

  /// A connected socket to `address` within the timeout, or nil.
  private func openSocket(_ address: addrinfo) -> Int32? {
    let socket = Glibc.socket(
      address.ai_family, address.ai_socktype | Int32(SOCK_NONBLOCK.rawValue), 0)
    guard socket >= 0 else { return nil }
    if Glibc.connect(socket, address.ai_addr, address.ai_addrlen) != 0 {
      guard errno == EINPROGRESS else {
        close(socket)
        return nil
      }
      var poller = pollfd(fd: socket, events: Int16(POLLOUT), revents: 0)
      var failure: Int32 = 0
      var length = socklen_t(MemoryLayout<Int32>.size)
      guard poll(&poller, 1, Int32(timeoutMilliseconds)) == 1,
        getsockopt(socket, SOL_SOCKET, SO_ERROR, &failure, &length) == 0, failure == 0
      else {
        close(socket)
        return nil
      }
    }
    _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) & ~O_NONBLOCK)
    return socket
  }

  private func handshake(_ context: OpaquePointer) throws(Failure) {
    guard let ssl = SSL_new(context) else { throw Failure(message: "cannot create a TLS session") }
    self.ssl = ssl
    SSL_set_fd(ssl, fd)
    // SNI (SSL_set_tlsext_host_name is a macro over SSL_ctrl) and the name to verify.
    _ = url.host.withCString {
      SSL_ctrl(
        ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, Int(TLSEXT_NAMETYPE_host_name),
        UnsafeMutableRawPointer(mutating: $0))
    }
    SSL_set1_host(ssl, url.host)
    guard SSL_connect(ssl) == 1 else {
      let reason =
        ERR_reason_error_string(ERR_get_error()).map { String(cString: $0) } ?? "handshake failed"
      ERR_clear_error()
      throw Failure(message: "TLS with \(url.hostHeader): \(reason)")
    }
  }

  private func write(_ bytes: [UInt8]) throws(Failure) {
    var offset = 0
    while offset < bytes.count {
      let sent = bytes[offset...].withUnsafeBytes { chunk -> Int in
        if let ssl { return Int(SSL_write(ssl, chunk.baseAddress, Int32(chunk.count))) }
        return send(fd, chunk.baseAddress, chunk.count, Int32(MSG_NOSIGNAL))
      }
      guard sent > 0 else { throw Failure(message: "send to \(url.hostHeader) failed") }
      offset += sent
    }
  }

  /// More bytes into `buffered`; false at end of stream.
  private func fill() throws(Failure) -> Bool {
    var chunk = [UInt8](repeating: 0, count: 16_384)
    let count = chunk.withUnsafeMutableBytes { space -> Int in
      if let ssl { return Int(SSL_read(ssl, space.baseAddress, Int32(space.count))) }
      return recv(fd, space.baseAddress, space.count, 0)
    }
    if count == 0 { return false }
    guard count > 0 else { throw Failure(message: "no answer from \(url.hostHeader) in time") }
    buffered.append(contentsOf: chunk[..<count])
    guard buffered.count <= Self.maxResponseBytes + 65_536 else {
      throw Failure(message: "answer from \(url.hostHeader) too large")
    }
    return true
  }

  private func readResponse() throws(Failure) -> (status: Int, body: [UInt8]) {
    let head = try readHead()
    var body: [UInt8] = []
    if head.chunked {
      body = try readChunked()
    } else if let length = head.contentLength {
      guard length <= Self.maxResponseBytes else { throw Failure(message: "answer too large") }
      while buffered.count < length {
        guard try fill() else { throw Failure(message: "answer cut short") }
      }
      body = Array(buffered[..<length])
      buffered.removeFirst(length)
    } else {
      while try fill() {}
      body = buffered
      buffered = []
      disconnect()
    }
    if head.close { disconnect() }
    return (head.status, body)
  }

  private func readHead() throws(Failure) -> WebhookResponseHead {
    while true {
      if let (head, used) = WebhookResponseHead.parse(buffered) {
        buffered.removeFirst(used)
        return head
      }
      guard buffered.count < 65_536 else { throw Failure(message: "answer head too large") }
      guard try fill() else { throw Failure(message: "connection closed before an answer") }
    }
  }

  private func readChunked() throws(Failure) -> [UInt8] {
    var body: [UInt8] = []
    while true {
      guard let line = try readLine(), let size = Int(line.split(separator: ";")[0], radix: 16)
      else { throw Failure(message: "bad chunked answer") }
      if size == 0 {
        while let trailer = try readLine(), !trailer.isEmpty {}
        return body
      }
      guard body.count + size <= Self.maxResponseBytes else {
        throw Failure(message: "answer too large")
      }
      while buffered.count < size + 2 {
        guard try fill() else { throw Failure(message: "answer cut short") }
      }
      body.append(contentsOf: buffered[..<size])
      buffered.removeFirst(size + 2)
    }
  }

  private func readLine() throws(Failure) -> String? {
    while true {
      if let end = buffered.firstIndex(of: UInt8(ascii: "\n")) {
        let line = String(decoding: buffered[..<end], as: UTF8.self)
        buffered.removeFirst(end + 1)
        return line.hasSuffix("\r") ? String(line.dropLast()) : line
      }
      guard try fill() else { return nil }
    }
  }
}

/// The status line and the framing headers of an answer.
struct WebhookResponseHead: Sendable, Equatable {
  var status: Int
  var contentLength: Int?
  var chunked = false
  var close = false

  /// The head and its length in bytes, once `bytes` holds all of it.
  static func parse(_ bytes: [UInt8]) -> (WebhookResponseHead, Int)? {
    let marker: [UInt8] = [13, 10, 13, 10]
    guard bytes.count >= 4,
      let end = (0...(bytes.count - 4)).first(where: { bytes[$0..<$0 + 4].elementsEqual(marker) })
    else { return nil }
    let lines = String(decoding: bytes[..<end], as: UTF8.self).split(separator: "\r\n")
    guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/1."),
      let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "")
    else { return (WebhookResponseHead(status: 0, close: true), end + 4) }
    var head = WebhookResponseHead(status: status)
    head.close = statusLine.hasPrefix("HTTP/1.0")
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let name = line[..<colon].lowercased()
      let value = line[line.index(after: colon)...].trimmingCharacters().lowercased()
      switch name {
      case "content-length": head.contentLength = Int(value)
      case "transfer-encoding": head.chunked = value.contains("chunked")
      case "connection":
        head.close = value.contains("close") || (head.close && !value.contains("keep-alive"))
      default: continue
      }
    }
    return (head, end + 4)
  }
}

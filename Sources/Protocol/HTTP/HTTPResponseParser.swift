/// An incremental, bounded HTTP/1.1 response parser for the client side of a connection whose
/// peer frames every answer with `Content-Length` (another gateway node: `HTTPResponseEncoder`
/// always does).
///
/// ```
/// status-line = HTTP-version SP 3DIGIT SP [ reason-phrase ] CRLF
/// field-line  = field-name ":" OWS field-value OWS CRLF     (repeated)
///               CRLF
/// body        = Content-Length bytes | nothing (1xx, 204, 304)
/// ```
///
/// The caller appends what it receives to its `ByteBuffer` and calls `next(from:)` until it
/// returns a response. The head is scanned once however it is split; its size is checked as it
/// grows and the body's size the moment `Content-Length` is known, before any body byte is
/// buffered. Bytes after a response stay in the buffer: the next response on a keep-alive
/// connection, or the peer's WebSocket frames after a `101`. `Transfer-Encoding` and a body
/// without a length are refused: reading to the end of the stream would not leave a reusable
/// connection, and a gateway never sends them. After a throw the parser stays failed.
public struct HTTPResponseParser: Sendable {
  /// A refused response; the connection's framing is lost and it must be closed.
  public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong, for logs.
    public var message: String

    public var description: String { message }
  }

  /// One complete response.
  public struct Response: Sendable, Equatable {
    /// Status and header fields as received (framing fields included).
    public var head: HTTPResponseHead
    /// The whole body.
    public var body: [UInt8]
    /// Whether the peer closes the connection after this response (`Connection: close`, or
    /// HTTP/1.0 without `Connection: keep-alive`).
    public var closesConnection: Bool

    /// A response with the given parts.
    public init(head: HTTPResponseHead, body: [UInt8], closesConnection: Bool) {
      self.head = head
      self.body = body
      self.closesConnection = closesConnection
    }
  }

  /// Most bytes of a status line plus header lines (default 16 KiB, the request side's).
  public let maxHeadBytes: Int
  /// Largest body (default 16 MiB: a polling payload is at most `maxPayload` plus framing).
  public let maxBodyBytes: Int

  private var head: HTTPResponseHead?
  private var closes = false
  private var remaining = 0
  private var body: [UInt8] = []
  /// Bytes of the pending head (counted from the reader index) already searched for its end.
  private var scanned = 0
  private var failure: Failure?

  /// A parser for a new connection.
  public init(maxHeadBytes: Int = 16 * 1024, maxBodyBytes: Int = 16 * 1024 * 1024) {
    self.maxHeadBytes = maxHeadBytes
    self.maxBodyBytes = maxBodyBytes
  }

  /// True while part of a response has been consumed.
  public var isMidResponse: Bool { head != nil || scanned > 0 }

  /// Consumes bytes from the front of `buffer`; the next complete response, or nil when more
  /// bytes are needed. Throws (now and on every later call) on a malformed or oversized one.
  public mutating func next(from buffer: inout ByteBuffer) throws(Failure) -> Response? {
    if let failure { throw failure }
    do throws(Failure) {
      return try step(&buffer)
    } catch {
      failure = error
      throw error
    }
  }

  private mutating func step(_ buffer: inout ByteBuffer) throws(Failure) -> Response? {
    if head == nil {
      guard let length = try scanHead(buffer.readableBytesView) else { return nil }
      guard let bytes = buffer.readSlice(length: length) else { return nil }
      scanned = 0
      try parseHead(bytes.dropLast(2))
    }
    let count = min(remaining, buffer.readableBytes)
    if count > 0, let bytes = buffer.readSlice(length: count) {
      body.append(contentsOf: bytes)
      remaining -= count
    }
    guard remaining == 0, let finished = head else { return nil }
    let response = Response(head: finished, body: body, closesConnection: closes)
    self = HTTPResponseParser(maxHeadBytes: maxHeadBytes, maxBodyBytes: maxBodyBytes)
    return response
  }

  /// The head's length with its final CRLF CRLF, or nil when it has not all arrived.
  private mutating func scanHead(_ bytes: ArraySlice<UInt8>) throws(Failure) -> Int? {
    let start = bytes.startIndex
    var index = max(0, scanned - 3)
    while index + 3 < bytes.count {
      if bytes[start + index] == HTTPGrammar.carriageReturn,
        bytes[start + index + 1] == HTTPGrammar.lineFeed,
        bytes[start + index + 2] == HTTPGrammar.carriageReturn,
        bytes[start + index + 3] == HTTPGrammar.lineFeed
      {
        guard index + 4 <= maxHeadBytes else { throw tooLarge() }
        return index + 4
      }
      index += 1
    }
    scanned = bytes.count
    guard scanned <= maxHeadBytes else { throw tooLarge() }
    return nil
  }

  private func tooLarge() -> Failure {
    Failure(message: "response head is larger than \(maxHeadBytes) bytes")
  }

  /// Reads the status line and the fields, and works out the body's length.
  private mutating func parseHead(_ bytes: ArraySlice<UInt8>) throws(Failure) {
    // Every line ends with CRLF here (the head's final CRLF was dropped): split at LF, each
    // piece must end with CR, and the last piece is the empty rest.
    var lines = bytes.split(separator: HTTPGrammar.lineFeed, omittingEmptySubsequences: false)
    guard lines.removeLast().isEmpty,
      lines.allSatisfy({ $0.last == HTTPGrammar.carriageReturn })
    else { throw Failure(message: "malformed line ending in the response head") }
    let (status, isHTTP10) = try Self.parseStatusLine(lines[0].dropLast())
    var headers = HTTPHeaders()
    for line in lines.dropFirst() {
      let text = line.dropLast()
      guard let colon = text.firstIndex(of: HTTPGrammar.colon), colon > text.startIndex,
        text[..<colon].allSatisfy(HTTPGrammar.isToken),
        text[(colon + 1)...].allSatisfy(HTTPGrammar.isFieldValue)
      else { throw Failure(message: "malformed header line") }
      let value = text[(colon + 1)...].drop { HTTPGrammar.isWhitespace($0) }
      let trimmed = value.reversed().drop { HTTPGrammar.isWhitespace($0) }.reversed()
      headers.add(
        name: String(decoding: text[..<colon], as: UTF8.self),
        value: String(decoding: trimmed, as: UTF8.self))
    }
    guard headers["transfer-encoding"] == nil else {
      throw Failure(message: "Transfer-Encoding is not supported on this connection")
    }
    closes =
      isHTTP10
      ? !headers.contains(name: "connection", token: "keep-alive")
      : headers.contains(name: "connection", token: "close")
    let lengths = Set(headers.values(for: "content-length"))
    let hasNoBody = (100..<200).contains(status) || status == 204 || status == 304
    if hasNoBody {
      remaining = 0
    } else {
      guard lengths.count == 1, let text = lengths.first, !text.isEmpty,
        text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), text.utf8.count <= 18,
        let length = Int(text)
      else { throw Failure(message: "response has no single valid Content-Length") }
      guard length <= maxBodyBytes else {
        throw Failure(message: "response body of \(length) bytes is over \(maxBodyBytes)")
      }
      remaining = length
      body.reserveCapacity(min(length, 64 * 1024))
    }
    head = HTTPResponseHead(status: status, headers: headers)
  }

  /// `HTTP/1.x SP 3DIGIT [SP reason]`: the status and whether the version is 1.0.
  private static func parseStatusLine(_ line: ArraySlice<UInt8>) throws(Failure) -> (Int, Bool) {
    let start = line.startIndex
    let digits = line.dropFirst(9).prefix(3)
    guard line.count >= 12, line.starts(with: "HTTP/1.".utf8),
      line[start + 7] == UInt8(ascii: "0") || line[start + 7] == UInt8(ascii: "1"),
      line[start + 8] == HTTPGrammar.space,
      digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
      line.count == 12 || line[start + 12] == HTTPGrammar.space,
      let status = Int(String(decoding: digits, as: UTF8.self)), status >= 100
    else { throw Failure(message: "malformed status line") }
    return (status, line[start + 7] == UInt8(ascii: "0"))
  }
}

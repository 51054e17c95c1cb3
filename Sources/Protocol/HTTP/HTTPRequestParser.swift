/// An incremental, bounded HTTP/1.1 request parser (RFC 9112) for one connection.
///
/// The connection appends what it receives to its `ByteBuffer` and calls `next(from:)` until it
/// returns nil. The parser consumes bytes from the front as it goes and remembers how far it has
/// scanned, so a head that arrives in pieces is scanned once, not once per piece. Bytes past the
/// end of a request stay unconsumed: the next pipelined request, or the WebSocket stream after an
/// `Upgrade` request.
///
/// ```
/// request-line  = method SP request-target SP HTTP-version CRLF
/// field-line    = field-name ":" OWS field-value OWS CRLF     (repeated)
///                 CRLF
/// message-body  = Content-Length bytes | chunked | nothing
/// ```
///
/// Line endings: CRLF. A bare LF also ends the request line, a header line or a trailer line
/// (RFC 9112 §2.2 allows it; hand-written clients send it). Chunk framing (the chunk-size line and
/// the CRLF after chunk data) requires CRLF, because leniency there is the classic
/// request-smuggling vector. A CR anywhere else is rejected with 400.
///
/// Every limit in `HTTPLimits` is checked the moment its length is known; the body never grows
/// past `maxBodyBytes`. After a throw the parser stays failed: the connection must answer the
/// error's status and close, as the framing of whatever follows is unknown.
public struct HTTPRequestParser: Sendable {
  /// What one call to `next(from:)` produced.
  public enum Output: Sendable, Equatable {
    /// Head complete, has `Expect: 100-continue`, body not yet received: the server writes
    /// `HTTP/1.1 100 Continue` (or rejects; a Content-Length over the limit has already thrown
    /// 413 instead of returning this). Emitted at most once per request.
    ///
    /// Only for HTTP/1.1 requests that have a body (RFC 9110 §10.1.1), and always right after
    /// the head, even when body bytes have already arrived, so the output does not depend on
    /// how the bytes were split.
    case expectContinue(HTTPRequestHead)
    /// A complete request (head + whole de-chunked body).
    case request(HTTPRequest)
  }

  /// Where in a request the parser is.
  enum State: Sendable {
    case requestLine
    case headerLines
    case fixedBody(remaining: Int)
    case chunkSizeLine(HTTPChunkSizeLine)
    case chunkData(remaining: Int)
    case chunkDataEnd(sawCarriageReturn: Bool)
    case trailerLines
  }

  /// RFC 9112 §2.2: empty lines tolerated before a request line (some clients send a CRLF after
  /// a POST body); more is not a client, and rejected.
  static let maxLeadingEmptyLines = 4
  /// Bytes reserved for a `Content-Length` body before they arrive, so a mere claim cannot make
  /// every idle connection hold `maxBodyBytes`.
  static let initialBodyCapacity = 64 * 1024

  /// The limits this parser enforces.
  let limits: HTTPLimits
  var state = State.requestLine
  /// The error thrown, thrown again by every later call.
  var failure: HTTPParseError?
  /// Bytes of the pending line (counted from the reader index) already examined.
  var lineScanned = 0
  /// Offset of the space after the method in the pending request line.
  var methodEnd: Int?
  /// Offset of the space after the target in the pending request line.
  var targetEnd: Int?
  var leadingEmptyLines = 0
  /// Bytes of the request line, header lines and trailer lines consumed so far.
  var headBytes = 0
  /// Header and trailer fields so far.
  var headerCount = 0
  /// Bytes of chunk extensions (and whitespace before them) so far.
  var extensionBytes = 0
  var head = HTTPRequestHead(method: "", target: "")
  var framing = HTTPRequestFraming()
  var body: [UInt8] = []

  /// A parser for a new connection.
  /// - Parameter limits: Bounds on each request; the defaults suit browsers and REST clients.
  public init(limits: HTTPLimits = HTTPLimits()) {
    self.limits = limits
  }

  /// True while a request has been partially received (some bytes of its head or body seen).
  /// The server uses it to tell an idle keep-alive connection from a slow one.
  ///
  /// Empty lines skipped before a request line do not count.
  public var isMidRequest: Bool {
    if case .requestLine = state { return lineScanned > 0 }
    return true
  }

  /// Consumes bytes from the front of `buffer`; returns nil when more bytes are needed (having
  /// consumed what it could and kept its state), throws on malformed input. After `.request`,
  /// bytes of the next pipelined request (or of a WebSocket stream after an Upgrade request) stay
  /// unconsumed in `buffer`.
  ///
  /// Always pass the same connection's buffer; the caller may `discardReadBytes()` between calls.
  public mutating func next(from buffer: inout ByteBuffer) throws(HTTPParseError) -> Output? {
    if let failure { throw failure }
    do throws(HTTPParseError) {
      return try step(&buffer)
    } catch {
      failure = error
      throw error
    }
  }

  /// Runs the state machine until it produces an output or runs out of bytes.
  private mutating func step(_ buffer: inout ByteBuffer) throws(HTTPParseError) -> Output? {
    while true {
      switch state {
      case .requestLine:
        guard try readRequestLine(from: &buffer) else { return nil }
        head.headers.reserveCapacity(8)
        state = .headerLines
      case .headerLines:
        guard let sectionEnded = try readFieldLine(from: &buffer, isTrailer: false) else {
          return nil
        }
        if sectionEnded, let output = try finishHead() { return output }
      case .fixedBody(let remaining):
        let count = readBody(upTo: remaining, from: &buffer)
        guard count == remaining else {
          state = .fixedBody(remaining: remaining - count)
          return nil
        }
        return .request(finishRequest())
      case .chunkSizeLine(var line):
        guard let size = try readChunkSizeLine(&line, from: &buffer) else {
          state = .chunkSizeLine(line)
          return nil
        }
        state = size == 0 ? .trailerLines : .chunkData(remaining: size)
      case .chunkData(let remaining):
        let count = readBody(upTo: remaining, from: &buffer)
        guard count == remaining else {
          state = .chunkData(remaining: remaining - count)
          return nil
        }
        state = .chunkDataEnd(sawCarriageReturn: false)
      case .chunkDataEnd(let sawCarriageReturn):
        guard try readChunkDataEnd(sawCarriageReturn: sawCarriageReturn, from: &buffer) else {
          return nil
        }
        state = .chunkSizeLine(HTTPChunkSizeLine())
      case .trailerLines:
        guard let sectionEnded = try readFieldLine(from: &buffer, isTrailer: true) else {
          return nil
        }
        if sectionEnded { return .request(finishRequest()) }
      }
    }
  }

  /// Judges the complete head and moves to its body; returns what to hand out now, if anything.
  private mutating func finishHead() throws(HTTPParseError) -> Output? {
    switch try framing.body(version: head.version, limits: limits) {
    case .none:
      return .request(finishRequest())
    case .length(let length):
      body.reserveCapacity(min(length, Self.initialBodyCapacity))
      state = .fixedBody(remaining: length)
    case .chunked:
      state = .chunkSizeLine(HTTPChunkSizeLine())
    }
    if framing.expectsContinue, head.version == .http1_1 { return .expectContinue(head) }
    return nil
  }

  /// Moves up to `limit` available bytes into the body (one copy); returns how many.
  private mutating func readBody(upTo limit: Int, from buffer: inout ByteBuffer) -> Int {
    let count = min(limit, buffer.readableBytes)
    if count > 0, let bytes = buffer.readSlice(length: count) {
      body.append(contentsOf: bytes)
    }
    return count
  }

  /// Hands out the finished request and resets for the next one on the connection.
  private mutating func finishRequest() -> HTTPRequest {
    let request = HTTPRequest(head: head, body: body)
    self = HTTPRequestParser(limits: limits)
    return request
  }
}

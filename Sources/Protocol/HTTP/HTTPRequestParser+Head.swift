extension HTTPRequestParser {
  /// Reads the request line, skipping a few empty lines before it. Returns false when the line
  /// is incomplete (its scan position kept), true once it is parsed into `head`.
  mutating func readRequestLine(from buffer: inout ByteBuffer) throws(HTTPParseError) -> Bool {
    while true {
      let bytes = buffer.readableBytesView
      guard let (length, terminator) = try scanRequestLine(bytes) else { return false }
      lineScanned = 0
      guard length > 0 else {
        leadingEmptyLines += 1
        guard leadingEmptyLines <= Self.maxLeadingEmptyLines else {
          throw .badRequest("Request has too many empty lines before the request line")
        }
        buffer.moveReaderIndex(forwardBy: terminator)
        continue
      }
      guard length + terminator <= limits.maxHeaderBytes else {
        throw .headerBytesTooLarge(limit: limits.maxHeaderBytes)
      }
      try parseRequestLine(bytes.prefix(length))
      headBytes = length + terminator
      buffer.moveReaderIndex(forwardBy: headBytes)
      return true
    }
  }

  /// Scans the pending request line from where the last call stopped, checking each byte as it
  /// comes so an over-long target (414) or head (431), or a byte no request line may hold (400),
  /// is rejected without waiting for the line's end. Returns the line's length and its
  /// terminator's length (1 or 2), or nil when no line end has arrived yet.
  private mutating func scanRequestLine(
    _ bytes: ArraySlice<UInt8>
  ) throws(HTTPParseError) -> (length: Int, terminator: Int)? {
    let start = bytes.startIndex
    var index = lineScanned
    while index < bytes.count {
      let byte = bytes[start + index]
      if byte == HTTPGrammar.lineFeed { return (index, 1) }
      if byte == HTTPGrammar.carriageReturn {
        guard index + 1 < bytes.count else { break }
        guard bytes[start + index + 1] == HTTPGrammar.lineFeed else {
          throw .badRequest("Request line contains a CR that is not followed by LF")
        }
        return (index, 2)
      }
      if let methodEnd {
        if let targetEnd {
          // "HTTP/1.1" is 8 bytes; anything longer cannot be a version.
          guard index - targetEnd <= 8 else {
            throw .badRequest("Request line has a malformed HTTP version")
          }
        } else if byte == HTTPGrammar.space {
          guard index > methodEnd + 1 else { throw .badRequest("Request target is empty") }
          targetEnd = index
        } else {
          guard HTTPGrammar.isTarget(byte) else {
            throw .badRequest(
              "Request target contains a control character, tab or non-ASCII byte")
          }
          guard index - methodEnd <= limits.maxTargetLength else {
            throw .targetTooLong(limit: limits.maxTargetLength)
          }
        }
      } else if byte == HTTPGrammar.space {
        guard index > 0 else { throw .badRequest("Request line starts with a space") }
        methodEnd = index
      } else if !HTTPGrammar.isToken(byte) {
        throw .badRequest("Request method contains a character that is not allowed")
      }
      guard index < limits.maxHeaderBytes else {
        throw .headerBytesTooLarge(limit: limits.maxHeaderBytes)
      }
      index += 1
    }
    lineScanned = index
    return nil
  }

  /// Builds the head's method, target and version from a complete, pre-scanned request line.
  private mutating func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) {
    guard let methodEnd else { throw .badRequest("Request line has no request target") }
    guard let targetEnd else { throw .badRequest("Request line has no HTTP version") }
    let start = line.startIndex
    let method = line[start..<(start + methodEnd)]
    let target = line[(start + methodEnd + 1)..<(start + targetEnd)]
    head.version = try Self.parseVersion(line[(start + targetEnd + 1)...])
    try Self.checkTargetForm(target, method: method)
    head.method = String(decoding: method, as: UTF8.self)
    head.target = String(decoding: target, as: UTF8.self)
    self.methodEnd = nil
    self.targetEnd = nil
  }

  /// `HTTP-version = "HTTP/" DIGIT "." DIGIT` (RFC 9112 §2.3); only 1.0 and 1.1 are served.
  private static func parseVersion(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPVersion
  {
    let isDigit = { (byte: UInt8) in byte >= 0x30 && byte <= 0x39 }
    let start = bytes.startIndex
    guard bytes.count == 8, bytes.starts(with: "HTTP/".utf8), isDigit(bytes[start + 5]),
      bytes[start + 6] == UInt8(ascii: "."), isDigit(bytes[start + 7])
    else { throw .badRequest("Request line has a malformed HTTP version") }
    let version = HTTPVersion(
      major: Int(bytes[start + 5] - 0x30), minor: Int(bytes[start + 7] - 0x30))
    guard version == .http1_1 || version == .http1_0 else {
      throw HTTPParseError(status: 505, message: "\(version) is not supported; use HTTP/1.1")
    }
    return version
  }

  /// RFC 9112 §3.2: origin-form (`/path?query`), absolute-form (`scheme:...`), asterisk-form
  /// (`*`, OPTIONS only) or authority-form (CONNECT only).
  private static func checkTargetForm(
    _ target: ArraySlice<UInt8>, method: ArraySlice<UInt8>
  ) throws(HTTPParseError) {
    guard let first = target.first, first != HTTPGrammar.slash else { return }
    if target.count == 1, first == HTTPGrammar.asterisk {
      guard method.elementsEqual("OPTIONS".utf8) else {
        throw .badRequest("Request target '*' is only allowed with OPTIONS")
      }
      return
    }
    if method.elementsEqual("CONNECT".utf8) { return }
    guard isAbsoluteForm(target) else {
      throw .badRequest("Request target must start with '/' or be an absolute URI")
    }
  }

  /// Whether `target` starts with a URI scheme and a colon (RFC 3986 §3.1).
  private static func isAbsoluteForm(_ target: ArraySlice<UInt8>) -> Bool {
    let isAlpha = { (byte: UInt8) in (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    guard let first = target.first, isAlpha(first) else { return false }
    for byte in target.dropFirst() {
      if byte == HTTPGrammar.colon { return true }
      let isSchemeByte =
        isAlpha(byte) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "+")
        || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
      guard isSchemeByte else { return false }
    }
    return false
  }

  /// Reads one header or trailer line. Returns nil when it is incomplete (its scan position
  /// kept), false after a field line, true after the empty line that ends the section.
  mutating func readFieldLine(
    from buffer: inout ByteBuffer, isTrailer: Bool
  ) throws(HTTPParseError) -> Bool? {
    let bytes = buffer.readableBytesView
    let budget = limits.maxHeaderBytes - headBytes
    guard
      let lineFeed = bytes[(bytes.startIndex + lineScanned)...].firstIndex(of: HTTPGrammar.lineFeed)
    else {
      // Counted as they arrive: a header that never ends fails as soon as it is over budget.
      guard bytes.count <= budget else { throw .headerBytesTooLarge(limit: limits.maxHeaderBytes) }
      lineScanned = bytes.count
      return nil
    }
    let lineLength = lineFeed + 1 - bytes.startIndex
    guard lineLength <= budget else { throw .headerBytesTooLarge(limit: limits.maxHeaderBytes) }
    headBytes += lineLength
    lineScanned = 0
    buffer.moveReaderIndex(forwardBy: lineLength)
    var end = lineFeed
    if end > bytes.startIndex, bytes[end - 1] == HTTPGrammar.carriageReturn { end -= 1 }
    let line = bytes[bytes.startIndex..<end]
    guard !line.isEmpty else { return true }
    try parseField(line, isTrailer: isTrailer)
    return false
  }

  /// Checks one `field-name ":" OWS field-value OWS` line and records it (headers) or drops it
  /// (trailers, RFC 9112 §7.1.2: a recipient may discard them).
  private mutating func parseField(
    _ line: ArraySlice<UInt8>, isTrailer: Bool
  ) throws(HTTPParseError) {
    // RFC 9112 §5.2: obs-fold is rejected with 400 (we never replace it).
    guard let first = line.first, !HTTPGrammar.isWhitespace(first) else {
      throw .badRequest("Header line starts with whitespace (obsolete line folding)")
    }
    headerCount += 1
    guard headerCount <= limits.maxHeaderCount else {
      throw .tooManyHeaders(limit: limits.maxHeaderCount)
    }
    guard let colon = line.firstIndex(of: HTTPGrammar.colon) else {
      throw .badRequest("Header line has no colon")
    }
    let name = line[..<colon]
    guard !name.isEmpty else { throw .badRequest("Header line has an empty name") }
    for byte in name where !HTTPGrammar.isToken(byte) {
      // RFC 9112 §5.1: whitespace before the colon MUST be rejected with 400.
      if HTTPGrammar.isWhitespace(byte) {
        throw .badRequest("Header name is followed by whitespace before the colon")
      }
      throw .badRequest("Header name contains a character that is not allowed")
    }
    let value = HTTPGrammar.trimmed(line[(colon + 1)...])
    let nameText = String(decoding: name, as: UTF8.self)
    for byte in value where !HTTPGrammar.isFieldValue(byte) {
      throw .badRequest("Header '\(nameText)' contains a control character")
    }
    guard !isTrailer else { return }
    try framing.record(name: name, value: value)
    head.headers.add(name: nameText, value: String(decoding: value, as: UTF8.self))
  }
}

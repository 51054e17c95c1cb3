extension HTTPRequestParser {
  /// Reads a chunk-size line byte by byte. Returns the chunk size once the line's CRLF has been
  /// consumed, or nil when more bytes are needed.
  /// - Throws: 413 as soon as the size would take the body over `maxBodyBytes`, or the chunk
  ///   extensions of the request over `maxHeaderBytes`; 400 for anything malformed.
  mutating func readChunkSizeLine(
    _ line: inout HTTPChunkSizeLine, from buffer: inout ByteBuffer
  ) throws(HTTPParseError) -> Int? {
    let bytes = buffer.readableBytesView
    var consumed = 0
    defer { buffer.moveReaderIndex(forwardBy: consumed) }
    for byte in bytes {
      consumed += 1
      switch line.phase {
      case .digits:
        if let digit = HTTPGrammar.hexValue(byte) {
          line.digits += 1
          guard line.digits <= HTTPChunkSizeLine.maxDigits else {
            throw .badRequest("Chunk size has more than \(HTTPChunkSizeLine.maxDigits) digits")
          }
          // Sixteen digits can overflow Int; any such size is over the limit anyway.
          let (size, overflow) = line.size.multipliedReportingOverflow(by: 16)
          let room = limits.maxBodyBytes - body.count
          guard !overflow, size <= room - digit else {
            throw .bodyTooLarge(limit: limits.maxBodyBytes)
          }
          line.size = size + digit
        } else if line.digits == 0 {
          throw .badRequest("Chunk size is not a hexadecimal number")
        } else if byte == HTTPGrammar.carriageReturn {
          line.phase = .carriageReturn
        } else if byte == HTTPGrammar.semicolon || HTTPGrammar.isWhitespace(byte) {
          // RFC 9112 §7.1.1: BWS may precede the ';' of an extension.
          line.phase = .extensionPart
          try countExtensionByte()
        } else {
          throw .badRequest("Chunk size is followed by an unexpected character")
        }
      case .extensionPart:
        if byte == HTTPGrammar.carriageReturn {
          line.phase = .carriageReturn
        } else if HTTPGrammar.isFieldValue(byte) {
          try countExtensionByte()
        } else {
          throw .badRequest("Chunk extension contains a control character")
        }
      case .carriageReturn:
        guard byte == HTTPGrammar.lineFeed else {
          throw .badRequest("Chunk size line does not end with CRLF")
        }
        return line.size
      }
    }
    return nil
  }

  /// Counts one chunk-extension byte against the request's budget. Extensions are ignored, but
  /// without a bound a client could stream them forever (the flaw of CVE-2024-22019 in Node).
  private mutating func countExtensionByte() throws(HTTPParseError) {
    extensionBytes += 1
    guard extensionBytes <= limits.maxHeaderBytes else {
      throw HTTPParseError(
        status: 413, message: "Chunk extensions exceed \(limits.maxHeaderBytes) bytes")
    }
  }

  /// Reads the CRLF that must follow chunk data. Returns false when more bytes are needed.
  mutating func readChunkDataEnd(
    sawCarriageReturn: Bool, from buffer: inout ByteBuffer
  ) throws(HTTPParseError) -> Bool {
    var sawCarriageReturn = sawCarriageReturn
    while let byte = buffer.peekByte() {
      let expected = sawCarriageReturn ? HTTPGrammar.lineFeed : HTTPGrammar.carriageReturn
      guard byte == expected else { throw .badRequest("Chunk data is not followed by CRLF") }
      buffer.moveReaderIndex(forwardBy: 1)
      if sawCarriageReturn { return true }
      sawCarriageReturn = true
    }
    state = .chunkDataEnd(sawCarriageReturn: sawCarriageReturn)
    return false
  }
}

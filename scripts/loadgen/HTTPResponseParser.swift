import Protocol

/// Just enough HTTP/1.1 response parsing for the generator: the status code and a body
/// framed by `Content-Length` (both servers frame REST answers that way).
struct HTTPResponseParser {
  /// One complete response.
  struct Response {
    var status: Int
    var body: [UInt8]
  }

  /// A response the generator cannot frame.
  struct Unsupported: Error {}

  private var pending: (status: Int, bodyLength: Int)?

  /// The next complete response, or nil until more bytes arrive.
  mutating func next(from buffer: inout ByteBuffer) throws(Unsupported) -> Response? {
    if pending == nil {
      guard let headLength = Self.headLength(in: buffer) else {
        if buffer.readableBytes > 65536 { throw Unsupported() }
        return nil
      }
      guard let status = Self.status(in: buffer),
        let bodyLength = Self.contentLength(in: buffer, headLength: headLength)
      else { throw Unsupported() }
      buffer.moveReaderIndex(forwardBy: headLength)
      pending = (status, bodyLength)
    }
    guard let (status, bodyLength) = pending, buffer.readableBytes >= bodyLength else {
      return nil
    }
    pending = nil
    return Response(status: status, body: buffer.readBytes(length: bodyLength) ?? [])
  }

  /// Bytes up to and including the blank line that ends the head, once it is all there.
  static func headLength(in buffer: ByteBuffer) -> Int? {
    let view = buffer.readableBytesView
    var index = view.startIndex
    while let newline = view[index...].firstIndex(of: UInt8(ascii: "\n")) {
      // The head ends at the first "\r\n\r\n": this "\n" closes an empty line.
      if newline - view.startIndex >= 3, view[newline - 1] == UInt8(ascii: "\r"),
        view[newline - 2] == UInt8(ascii: "\n"), view[newline - 3] == UInt8(ascii: "\r")
      {
        return newline + 1 - view.startIndex
      }
      index = newline + 1
    }
    return nil
  }

  /// The status code of the response head at the start of `buffer`.
  static func status(in buffer: ByteBuffer) -> Int? {
    let view = buffer.readableBytesView
    guard view.count >= 12, view.starts(with: "HTTP/1.".utf8) else { return nil }
    var status = 0
    for offset in 9..<12 {
      let digit = view[view.startIndex + offset]
      guard digit >= 0x30, digit <= 0x39 else { return nil }
      status = status * 10 + Int(digit - 0x30)
    }
    return status
  }

  private static let contentLengthName = Array("content-length:".utf8)

  /// The `Content-Length` of the head; nil when absent.
  private static func contentLength(in buffer: ByteBuffer, headLength: Int) -> Int? {
    let head = buffer.readableBytesView.prefix(headLength)
    var lineStart = head.startIndex
    while let newline = head[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
      let line = head[lineStart..<newline]
      lineStart = newline + 1
      guard line.count > contentLengthName.count,
        zip(line, contentLengthName).allSatisfy({ $0 | 0x20 == $1 })
      else { continue }
      var value = 0
      for byte in line.dropFirst(contentLengthName.count) {
        switch byte {
        case 0x30...0x39: value = value * 10 + Int(byte - 0x30)
        case UInt8(ascii: " "), UInt8(ascii: "\r"), UInt8(ascii: "\t"): continue
        default: return nil
        }
      }
      return value
    }
    // Chunked or close-delimited bodies are not used by either server's REST answers.
    return nil
  }
}

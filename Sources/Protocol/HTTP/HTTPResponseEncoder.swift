/// Writes HTTP/1.1 responses into a caller-owned byte array.
///
/// ```
/// HTTP/1.1 200 OK\r\n
/// <given headers, in order>\r\n
/// Content-Length: 2\r\n            (not for 1xx, 204, 304)
/// Connection: close\r\n            (when !keepAlive, not for 1xx)
/// \r\n
/// ok
/// ```
///
/// The encoder owns the framing: `Content-Length` and `Transfer-Encoding` fields among the given
/// headers are not written (the body's real length is). It adds no `Date` or `Server`.
public enum HTTPResponseEncoder {
  private static let crlf: [UInt8] = [HTTPGrammar.carriageReturn, HTTPGrammar.lineFeed]

  /// Appends `HTTP/1.1 <status> <reason>\r\n`, the given headers, `Content-Length: <body.count>`
  /// (unless the status forbids a body: 1xx, 204, 304), `Connection: close` when !keepAlive, then
  /// CRLF and the body.
  ///
  /// - Parameters:
  ///   - head: Status and headers. A CR, LF or NUL inside a header name or value is written as a
  ///     space, so no value can split the response.
  ///   - body: The body; not written when the status forbids one.
  ///   - keepAlive: False adds `Connection: close` (unless the headers already say so). Ignored
  ///     for interim (1xx) responses, which never end a connection; pass the upgrade headers of
  ///     a 101 yourself.
  ///   - output: Bytes are appended here.
  public static func encode(
    _ head: HTTPResponseHead, body: some Collection<UInt8>, keepAlive: Bool,
    into output: inout [UInt8]
  ) {
    let status = head.status
    let isInterim = status >= 100 && status < 200
    let allowsBody = !isInterim && status != 204 && status != 304
    let bodyCount = allowsBody ? body.count : 0
    output.reserveCapacity(output.count + 128 + 32 * head.headers.fields.count + bodyCount)

    output.append(contentsOf: "HTTP/1.1 ".utf8)
    output.append(contentsOf: String(status).utf8)
    output.append(HTTPGrammar.space)
    output.append(contentsOf: reasonPhrase(for: status).utf8)
    output.append(contentsOf: crlf)
    for field in head.headers {
      if HTTPHeaders.namesMatch(field.name, "content-length")
        || HTTPHeaders.namesMatch(field.name, "transfer-encoding")
      {
        continue
      }
      appendSanitized(field.name, to: &output)
      output.append(contentsOf: ": ".utf8)
      appendSanitized(field.value, to: &output)
      output.append(contentsOf: crlf)
    }
    if allowsBody {
      output.append(contentsOf: "Content-Length: ".utf8)
      output.append(contentsOf: String(bodyCount).utf8)
      output.append(contentsOf: crlf)
    }
    if !keepAlive, !isInterim, !head.headers.contains(name: "connection", token: "close") {
      output.append(contentsOf: "Connection: close".utf8)
      output.append(contentsOf: crlf)
    }
    output.append(contentsOf: crlf)
    if allowsBody { output.append(contentsOf: body) }
  }

  /// Appends `text`, with CR, LF and NUL written as spaces (response splitting guard).
  private static func appendSanitized(_ text: String, to output: inout [UInt8]) {
    let isUnsafe = { (byte: UInt8) in
      byte == HTTPGrammar.carriageReturn || byte == HTTPGrammar.lineFeed || byte == 0
    }
    guard text.utf8.contains(where: isUnsafe) else {
      output.append(contentsOf: text.utf8)
      return
    }
    output.append(contentsOf: text.utf8.lazy.map { isUnsafe($0) ? HTTPGrammar.space : $0 })
  }
}

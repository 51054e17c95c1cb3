import Protocol

/// A response a handler hands back to the connection loop, which encodes and writes it.
struct HTTPResponse: Sendable {
  /// Status code.
  var status: Int
  /// Header fields, in order; `Content-Length` and `Connection` are added by the encoder.
  var headers: HTTPHeaders
  /// The whole body.
  var body: [UInt8]
  /// Close the connection after this response even if the client wants keep-alive.
  var closeConnection = false

  init(
    status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
    closeConnection: Bool = false
  ) {
    self.status = status
    self.headers = headers
    self.body = body
    self.closeConnection = closeConnection
  }

  /// A JSON response with `Content-Type: application/json; charset=utf-8`.
  static func json(_ status: Int, _ body: [UInt8]) -> HTTPResponse {
    HTTPResponse(status: status, headers: jsonHeaders, body: body)
  }

  /// Shared by every JSON response (copy-on-write: building them per response was a malloc).
  private static let jsonHeaders = HTTPHeaders([("Content-Type", "application/json; charset=utf-8")]
  )

  /// A JSON response from a value, serialised as `JSON.stringify` would.
  static func json(_ status: Int, _ value: JSONValue) -> HTTPResponse {
    var body: [UInt8] = []
    body.reserveCapacity(128)  // the seed's bodies; growing from empty took 4 allocations
    JSONWriter.write(value, into: &body)
    return json(status, body)
  }

  /// The NestJS error shape existing backends parse:
  /// `{"statusCode":400,"message":"...","error":"Bad Request"}`.
  static func error(_ status: Int, _ message: String) -> HTTPResponse {
    json(
      status,
      .object(
        JSONObject([
          ("statusCode", .number(Double(status))),
          ("message", .string(message)),
          ("error", .string(HTTPResponseEncoder.reasonPhrase(for: status))),
        ])))
  }

  /// The bytes on the wire.
  func encoded(keepAlive: Bool) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(body.count + 128)
    HTTPResponseEncoder.encode(
      HTTPResponseHead(status: status, headers: headers), body: body,
      keepAlive: keepAlive && !closeConnection, into: &output)
    return output
  }
}

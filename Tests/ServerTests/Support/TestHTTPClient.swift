import Foundation
import Protocol

/// One HTTP/1.1 response as a test sees it.
struct TestResponse: Sendable {
  var status: Int
  var headers: HTTPHeaders
  var body: [UInt8]

  var text: String { String(decoding: body, as: UTF8.self) }
}

/// A keep-alive HTTP client over one `TestSocket`, reading responses with Content-Length.
struct TestHTTPClient {
  let socket: TestSocket
  private var buffer: [UInt8] = []

  init(port: Int) async throws {
    socket = try await TestSocket.connect(port: port)
  }

  /// Sends one request built from parts; `Content-Length` is added for a body.
  mutating func request(
    _ method: String, _ target: String, headers: [(String, String)] = [], body: String? = nil
  ) async throws -> TestResponse {
    var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    for (name, value) in headers { text += "\(name): \(value)\r\n" }
    if let body { text += "Content-Length: \(body.utf8.count)\r\n" }
    text += "\r\n" + (body ?? "")
    try await socket.send(text)
    return try await readResponse()
  }

  /// Reads the next response (status line, headers, Content-Length body).
  mutating func readResponse() async throws -> TestResponse {
    while true {
      if let response = try parse() { return response }
      let more = await socket.receive()
      guard !more.isEmpty else {
        throw TestSocket.Failure(
          description: "connection closed before a full response (\(buffer.count) bytes)")
      }
      buffer += more
    }
  }

  /// Reads until the server closes; returns what arrived.
  mutating func readToEnd() async -> [UInt8] {
    while true {
      let more = await socket.receive()
      if more.isEmpty { break }
      buffer += more
    }
    defer { buffer.removeAll() }
    return buffer
  }

  /// Bytes received but not yet consumed as a response (e.g. WebSocket frames after a 101).
  mutating func takeBuffered() -> [UInt8] {
    defer { buffer.removeAll() }
    return buffer
  }

  private mutating func parse() throws -> TestResponse? {
    let separator: [UInt8] = [13, 10, 13, 10]
    guard let end = buffer.indices.first(where: { buffer[$0...].starts(with: separator) }) else {
      return nil
    }
    let headText = String(decoding: buffer[..<end], as: UTF8.self)
    var lines = headText.components(separatedBy: "\r\n")
    let statusLine = lines.removeFirst().split(separator: " ")
    guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
      throw TestSocket.Failure(description: "bad status line in \(headText)")
    }
    var headers = HTTPHeaders()
    for line in lines {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers.add(
        name: String(line[..<colon]),
        value: String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
    }
    let length = Int(headers["content-length"] ?? "0") ?? 0
    let bodyStart = end + 4
    if status == 101 || status == 100 {
      buffer.removeFirst(bodyStart)
      return TestResponse(status: status, headers: headers, body: [])
    }
    guard buffer.count >= bodyStart + length else { return nil }
    let body = Array(buffer[bodyStart..<(bodyStart + length)])
    buffer.removeFirst(bodyStart + length)
    return TestResponse(status: status, headers: headers, body: body)
  }
}

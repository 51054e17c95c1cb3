import Protocol

/// A raw WebSocket client for tests: sends masked frames, decodes the server's frames.
struct TestWebSocketClient {
  let socket: TestSocket
  private var buffer = ByteBuffer()
  private var decoder = WebSocketMessageDecoder(maxMessageBytes: 16_000_000, requireMasking: false)

  /// Opens `target` with a WebSocket upgrade; throws unless the answer is 101.
  init(port: Int, target: String, headers: [(String, String)] = []) async throws {
    var http = try await TestHTTPClient(port: port)
    var request = "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
    request += "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    request += "Sec-WebSocket-Version: 13\r\n"
    for (name, value) in headers { request += "\(name): \(value)\r\n" }
    try await http.socket.send(request + "\r\n")
    let response = try await http.readResponse()
    guard response.status == 101 else {
      throw TestSocket.Failure(
        description: "expected 101, got \(response.status): \(response.text)")
    }
    guard response.headers["sec-websocket-accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" else {
      throw TestSocket.Failure(description: "bad Sec-WebSocket-Accept")
    }
    socket = http.socket
    buffer.writeBytes(http.takeBuffered())
  }

  /// Sends a text message.
  func send(_ text: String) async throws {
    var frame: [UInt8] = []
    WebSocketFrameEncoder.encodeMasked(
      opcode: .text, payload: Array(text.utf8), maskingKey: (1, 2, 3, 4), into: &frame)
    try await socket.send(frame)
  }

  /// Sends a binary message.
  func send(binary: [UInt8]) async throws {
    var frame: [UInt8] = []
    WebSocketFrameEncoder.encodeMasked(
      opcode: .binary, payload: binary, maskingKey: (9, 8, 7, 6), into: &frame)
    try await socket.send(frame)
  }

  /// Sends raw bytes (for malformed-frame tests).
  func sendRaw(_ bytes: [UInt8]) async throws {
    try await socket.send(bytes)
  }

  /// The next message from the server; nil when the connection ended.
  mutating func next() async -> WebSocketMessageDecoder.Message? {
    while true {
      if let message = try? decoder.next(from: &buffer) { return message }
      let more = await socket.receive()
      if more.isEmpty { return nil }
      buffer.writeBytes(more)
    }
  }

  /// The next text message, skipping pings of the Engine.IO heartbeat if asked.
  mutating func nextText(skippingPings: Bool = true) async -> String? {
    while let message = await next() {
      switch message {
      case .text(let text):
        if skippingPings, text == "2" { continue }
        return text
      case .close: return nil
      default: continue
      }
    }
    return nil
  }

  func close() {
    socket.close()
  }
}

/// A Socket.IO client over a WebSocket-only Engine.IO session.
struct TestSocketIOClient {
  var webSocket: TestWebSocketClient
  /// The Engine.IO open packet's JSON.
  var openPacket: String
  /// The `connected` event's JSON payload, or the failure packets.
  var greeting: [String] = []

  /// Connects WebSocket-only and sends CONNECT with `auth`; reads the first two packets.
  init(port: Int, auth: String?, path: String = "/socket.io/") async throws {
    webSocket = try await TestWebSocketClient(
      port: port, target: "\(path)?EIO=4&transport=websocket")
    guard let open = await webSocket.nextText(), open.hasPrefix("0") else {
      throw TestSocket.Failure(description: "no open packet")
    }
    openPacket = String(open.dropFirst())
    try await webSocket.send(auth.map { "40\($0)" } ?? "40")
  }

  /// Connects as `userID` with a valid token and waits for `connected`.
  static func connected(port: Int, userID: String) async throws -> TestSocketIOClient {
    var client = try await TestSocketIOClient(
      port: port, auth: #"{"token":"\#(TestServer.userToken(userID))"}"#)
    guard let reply = await client.webSocket.nextText(), reply.hasPrefix("40{\"sid\":"),
      let event = await client.webSocket.nextText(), event.hasPrefix("42[\"connected\"")
    else { throw TestSocket.Failure(description: "not connected") }
    client.greeting = [reply, event]
    return client
  }
}

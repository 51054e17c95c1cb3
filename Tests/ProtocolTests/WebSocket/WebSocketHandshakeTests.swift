import Testing

@testable import Protocol

@Suite struct WebSocketHandshakeTests {
  static let rfcKey = "dGhlIHNhbXBsZSBub25jZQ=="

  static func request(
    method: String = "GET", version: HTTPVersion = .http1_1,
    replacing overrides: [(String, String?)] = [], adding extra: [(String, String)] = []
  ) -> HTTPRequestHead {
    var fields: [(name: String, value: String)] = [
      ("Host", "example.com"), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
      ("Sec-WebSocket-Key", rfcKey), ("Sec-WebSocket-Version", "13"),
    ]
    for (name, value) in overrides {
      fields.removeAll { HTTPHeaders.namesMatch($0.name, name) }
      if let value { fields.append((name, value)) }
    }
    fields.append(contentsOf: extra.map { (name: $0.0, value: $0.1) })
    return HTTPRequestHead(
      method: method, target: "/socket.io/?EIO=4&transport=websocket", version: version,
      headers: HTTPHeaders(fields))
  }

  @Test func handshakeAcceptsTheRFCExampleRequest() {
    #expect(WebSocketHandshake.validate(Self.request()) == .success(Self.rfcKey))
    #expect(WebSocketHandshake.isUpgradeRequest(Self.request()))
  }

  @Test func handshakeComparesTokensIgnoringCaseAndInLists() {
    let head = Self.request(replacing: [
      ("Upgrade", "WebSocket"), ("Connection", "keep-alive, UPGRADE"),
    ])
    #expect(WebSocketHandshake.validate(head) == .success(Self.rfcKey))
  }

  static let badRequests: [(String, HTTPRequestHead)] = [
    ("POST", request(method: "POST")),
    ("HTTP/1.0", request(version: .http1_0)),
    ("no Upgrade", request(replacing: [("Upgrade", nil)])),
    ("Upgrade h2c", request(replacing: [("Upgrade", "h2c")])),
    ("no Connection", request(replacing: [("Connection", nil)])),
    ("Connection keep-alive only", request(replacing: [("Connection", "keep-alive")])),
    ("no key", request(replacing: [("Sec-WebSocket-Key", nil)])),
    ("key of 15 bytes", request(replacing: [("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAA")])),
    ("key of 17 bytes", request(replacing: [("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAAA=")])),
    ("key not base64", request(replacing: [("Sec-WebSocket-Key", "!!!!!!!!!!!!!!!!!!!!!!==")])),
    ("two keys", request(adding: [("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAA==")])),
  ]

  @Test(arguments: badRequests)
  func handshakeRejectsMalformedUpgradeWith400(name: String, head: HTTPRequestHead) {
    guard case .failure(let rejection) = WebSocketHandshake.validate(head) else {
      Issue.record("accepted \(name)")
      return
    }
    #expect(rejection.status == 400)
    #expect(!rejection.message.isEmpty)
  }

  @Test(arguments: [
    ("version 8", request(replacing: [("Sec-WebSocket-Version", "8")])),
    ("no version", request(replacing: [("Sec-WebSocket-Version", nil)])),
    ("two versions", request(adding: [("Sec-WebSocket-Version", "8")])),
  ])
  func handshakeRejectsUnsupportedVersionWith426AndTheSupportedVersion(
    name: String, head: HTTPRequestHead
  ) {
    guard case .failure(let rejection) = WebSocketHandshake.validate(head) else {
      Issue.record("accepted \(name)")
      return
    }
    #expect(rejection.status == 426)
    #expect(rejection.headers["Sec-WebSocket-Version"] == "13")
  }

  @Test func handshakeRecognisesUpgradeRequestsByTheUpgradeHeaderOnly() {
    #expect(WebSocketHandshake.isUpgradeRequest(Self.request(replacing: [("Connection", nil)])))
    #expect(!WebSocketHandshake.isUpgradeRequest(Self.request(replacing: [("Upgrade", nil)])))
    #expect(!WebSocketHandshake.isUpgradeRequest(Self.request(replacing: [("Upgrade", "h2c")])))
  }

  @Test func handshakeGUIDIsTheRFCConstant() {
    #expect(WebSocketHandshake.acceptGUID == "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
  }
}

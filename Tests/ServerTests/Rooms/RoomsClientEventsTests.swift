import Protocol
import Testing

@testable import Server

/// Rooms end to end on the in-process server: client join/leave within the claim, typing
/// relayed to the other members only, presence after the grace, and read receipts.
@Suite struct RoomsClientEventsTests {
  private static let key = [("Authorization", "Bearer \(TestServer.apiKey)")]

  private static func client(_ port: Int, _ userID: String, rooms: String? = nil) async throws
    -> TestSocketIOClient
  {
    let now = Int(Clock.unixSeconds())
    let claim = rooms.map { #","rooms":\#($0)"# } ?? ""
    let token = TestServer.token(#"{"sub":"\#(userID)","exp":\#(now + 3600)\#(claim)}"#)
    var client = try await TestSocketIOClient(port: port, auth: #"{"token":"\#(token)"}"#)
    guard await client.webSocket.nextText()?.hasPrefix("40{") == true,
      await client.webSocket.nextText()?.hasPrefix(#"42["connected""#) == true
    else { throw TestSocket.Failure(description: "not connected") }
    return client
  }

  private static func members(_ http: inout TestHTTPClient, _ room: String, _ users: [String])
    async throws
  {
    let list = users.map { "\"\($0)\"" }.joined(separator: ",")
    let response = try await http.request(
      "PUT", "/api/gateway/rooms/\(room)/members", headers: key, body: #"{"userIds":[\#(list)]}"#)
    #expect(response.status == 200, "\(response.text)")
  }

  @Test func joinAndLeaveFollowTheTokensRoomsClaim() async throws {
    let server = try await TestServer.start()
    var client = try await Self.client(server.port, "joiner", rooms: #"["team:1","doc:*"]"#)
    try await client.webSocket.send(#"421["join",{"room":"doc:9"}]"#)
    #expect(await client.webSocket.nextText() == #"431[{"success":true,"room":"doc:9"}]"#)
    try await client.webSocket.send(#"422["join",{"room":"team:2"}]"#)
    #expect(await client.webSocket.nextText() == #"432[{"success":false,"message":"Not allowed"}]"#)
    #expect(server.context.rooms.directory.rooms(of: "joiner") == ["doc:9"])
    try await client.webSocket.send(#"423["leave",{"room":"doc:9"}]"#)
    #expect(await client.webSocket.nextText() == #"433[{"success":true,"room":"doc:9"}]"#)
    #expect(server.context.rooms.directory.rooms(of: "joiner").isEmpty)
    var plain = try await Self.client(server.port, "plain")
    try await plain.webSocket.send(#"421["join",{"room":"team:1"}]"#)
    #expect(await plain.webSocket.nextText() == #"431[{"success":false,"message":"Not allowed"}]"#)
    for socket in [client, plain] { socket.webSocket.close() }
    await server.stop()
  }

  @Test func typingReachesTheOtherMembersOnlyAndIsRateLimited() async throws {
    let server = try await TestServer.start { $0.typingPerSecond = 2 }
    var http = try await TestHTTPClient(port: server.port)
    try await Self.members(&http, "chat", ["ann", "bob"])
    try await Self.members(&http, "elsewhere", ["eve"])
    var ann = try await Self.client(server.port, "ann")
    var bob = try await Self.client(server.port, "bob")
    var eve = try await Self.client(server.port, "eve")
    try await ann.webSocket.send(#"421["typing",{"room":"chat","isTyping":true}]"#)
    #expect(await ann.webSocket.nextText() == #"431[{"success":true}]"#)
    #expect(
      await bob.webSocket.nextText()
        == #"42["typing",{"from":"ann","room":"chat","isTyping":true}]"#)
    try await eve.webSocket.send(#"421["typing",{"room":"chat","isTyping":true}]"#)
    #expect(await eve.webSocket.nextText() == #"431[{"success":false,"message":"Not allowed"}]"#)
    try await eve.webSocket.send(#"422["typing",{"userId":"ann","isTyping":true}]"#)
    #expect(await eve.webSocket.nextText() == #"432[{"success":false,"message":"Not allowed"}]"#)
    try await ann.webSocket.send(#"422["typing",{"userId":"bob","isTyping":false}]"#)
    #expect(await ann.webSocket.nextText() == #"432[{"success":true}]"#)
    #expect(
      await bob.webSocket.nextText()
        == #"42["typing",{"from":"ann","userId":"bob","isTyping":false}]"#)
    // Two a second: back-to-back events meet an empty bucket (however slow the run, a few
    // tries settle it).
    var limited = false
    for attempt in 3..<23 where !limited {
      try await ann.webSocket.send(#"42\#(attempt)["typing",{"room":"chat","isTyping":true}]"#)
      limited =
        await ann.webSocket.nextText()
        == #"43\#(attempt)[{"success":false,"message":"Rate limit exceeded"}]"#
    }
    #expect(limited)
    // Nothing reached the outsider, and nothing echoed to the sender: their next frames are
    // these probes.
    for (user, socket) in [("eve", eve), ("ann", ann)] {
      var socket = socket
      _ = try await http.request(
        "POST", "/api/gateway/send", headers: Self.key,
        body: #"{"userId":"\#(user)","event":"probe","message":1,"persist":false}"#)
      #expect(await socket.webSocket.nextText() == #"42["probe",1]"#)
    }
    for socket in [ann, bob, eve] { socket.webSocket.close() }
    await server.stop()
  }

  @Test func presenceReachesCoMembersAfterTheGraceAndAFlapIsInvisible() async throws {
    let server = try await TestServer.start { $0.presenceGraceMilliseconds = 4000 }
    var http = try await TestHTTPClient(port: server.port)
    try await Self.members(&http, "pair", ["watcher", "walker"])
    var watcher = try await Self.client(server.port, "watcher")
    var walker = try await Self.client(server.port, "walker")
    #expect(
      await watcher.webSocket.nextText()
        == #"42["presence",{"userId":"walker","online":true,"lastSeen":null}]"#)
    walker.webSocket.close()
    walker = try await Self.client(server.port, "walker")  // back inside the grace
    walker.webSocket.close()
    let offline = await watcher.webSocket.nextText() ?? ""
    #expect(offline.hasPrefix(#"42["presence",{"userId":"walker","online":false,"lastSeen":""#))
    let presence = try await http.request(
      "GET", "/api/gateway/presence?userIds=walker,watcher,nobody", headers: Self.key)
    let users = try JSONParser.parse(presence.text)["users"]?.arrayValue ?? []
    #expect(users.map { $0["online"] } == [.bool(false), .bool(true), .bool(false)])
    #expect(users[0]["lastSeen"]?.stringValue != nil && users[2]["lastSeen"] == .null)
    watcher.webSocket.close()
    await server.stop()
  }

  @Test func aReadReportSendsTheAuthorOneReceipt() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    try await Self.members(&http, "thread", ["author", "reader"])
    var author = try await Self.client(server.port, "author")
    var reader = try await Self.client(server.port, "reader")
    let sent = try await http.request(
      "POST", "/api/gateway/send-room", headers: Self.key,
      body:
        #"{"room":"thread","event":"chat","message":"hi","from":"author","exceptUserIds":["author"]}"#
    )
    let answer = try JSONParser.parse(sent.text)
    #expect(answer["recipients"] == .number(1) && answer["success"] == .bool(true))
    let messageID = try #require(answer["messageId"]?.stringValue)
    #expect(await reader.webSocket.nextText()?.hasPrefix(#"42["chat","hi",""#) == true)
    for ack in 1...2 {
      try await reader.webSocket.send(#"42\#(ack)["read",{"messageIds":["\#(messageID)"]}]"#)
      #expect(await reader.webSocket.nextText() == #"43\#(ack)[{"success":true}]"#)
    }
    let receipt = await author.webSocket.nextText() ?? ""
    #expect(
      receipt.hasPrefix(
        #"42["messageRead",{"messageId":"\#(messageID)","userId":"reader","readAt":""#))
    #expect(receipt.hasSuffix(#"","room":"thread"}]"#))
    // Exactly one: the author's next frame is this probe.
    _ = try await http.request(
      "POST", "/api/gateway/send", headers: Self.key,
      body: #"{"userId":"author","event":"probe","message":1,"persist":false}"#)
    #expect(await author.webSocket.nextText() == #"42["probe",1]"#)
    for socket in [author, reader] { socket.webSocket.close() }
    await server.stop()
  }
}

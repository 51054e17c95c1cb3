import Protocol
import Testing

@testable import Server

/// Durable delivery end to end on the in-process server: offsets on the wire, the offline
/// queue, recovery by pid and offset, and the client's reports.
@Suite struct DeliveryFlowTests {
  private static func push(
    _ http: inout TestHTTPClient, _ userID: String, _ message: String, extra: String = ""
  ) async throws -> JSONValue {
    let response = try await http.request(
      "POST", "/api/gateway/send",
      headers: [("Authorization", "Bearer \(TestServer.apiKey)")],
      body: #"{"userId":"\#(userID)","event":"note","message":\#(message)\#(extra)}"#)
    #expect(response.status == 201, "\(response.text)")
    return try JSONParser.parse(response.text)
  }

  /// The trailing offset of a persisted event frame.
  private static func offset(of frame: String?) throws -> String {
    let value = try JSONParser.parse(String((frame ?? "").dropFirst(2)))
    return try #require(value.arrayValue?.last?.stringValue)
  }

  /// The CONNECT reply's sid and pid.
  private static func connectReply(_ frame: String?) throws -> (sid: String, pid: String) {
    let value = try JSONParser.parse(String((frame ?? "").dropFirst(2)))
    return (try #require(value["sid"]?.stringValue), try #require(value["pid"]?.stringValue))
  }

  @Test func aPersistedPushCarriesItsOffsetAndTheAnswerItsMessageId() async throws {
    let server = try await TestServer.start()
    var client = try await TestSocketIOClient.connected(port: server.port, userID: "live")
    var http = try await TestHTTPClient(port: server.port)
    let answer = try await Self.push(&http, "live", #"{"n":1}"#)
    #expect(answer["success"] == .bool(true))
    #expect(answer["queued"] == .bool(false))
    let frame = await client.webSocket.nextText()
    #expect(frame?.hasPrefix(#"42["note",{"n":1},""#) == true, "\(frame ?? "nil")")
    #expect(LogOffset(parsing: try Self.offset(of: frame))?.sequence == 1)
    client.webSocket.close()
    await server.stop()
  }

  @Test func anOfflineUsersQueueArrivesAfterConnectedInOrder() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    for index in 1...3 {
      let answer = try await Self.push(&http, "away", "\(index)")
      #expect(answer["success"] == .bool(false) && answer["queued"] == .bool(true))
    }
    var client = try await TestSocketIOClient.connected(port: server.port, userID: "away")
    for index in 1...3 {
      #expect(await client.webSocket.nextText()?.hasPrefix(#"42["note",\#(index),""#) == true)
    }
    client.webSocket.close()
    // Written to a socket: no longer queued, so a second device gets nothing again.
    #expect(
      await TestServer.eventually {
        let read = try? await server.context.delivery.store.queued(
          userID: "away", now: Clock.unixMilliseconds())
        return read?.entries.isEmpty == true
      })
    await server.stop()
  }

  @Test func aDroppedSocketRecoversWhatItMissedBeforeItsOldConnectReply() async throws {
    let server = try await TestServer.start()
    let token = TestServer.userToken("mobile")
    var first = try await TestSocketIOClient(port: server.port, auth: #"{"token":"\#(token)"}"#)
    let (sid, pid) = try Self.connectReply(await first.webSocket.nextText())
    _ = await first.webSocket.nextText()  // connected
    var http = try await TestHTTPClient(port: server.port)
    _ = try await Self.push(&http, "mobile", "1")
    let lastSeen = try Self.offset(of: await first.webSocket.nextText())
    first.webSocket.close()
    #expect(await TestServer.eventually { !(await server.context.registry.isConnected("mobile")) })
    _ = try await Self.push(&http, "mobile", "2")
    _ = try await Self.push(&http, "mobile", "3")
    var second = try await TestSocketIOClient(
      port: server.port, auth: #"{"token":"\#(token)","pid":"\#(pid)","offset":"\#(lastSeen)"}"#)
    #expect(await second.webSocket.nextText()?.hasPrefix(#"42["note",2,""#) == true)
    #expect(await second.webSocket.nextText()?.hasPrefix(#"42["note",3,""#) == true)
    let reply = try Self.connectReply(await second.webSocket.nextText())
    #expect(reply.sid == sid && reply.pid == pid)
    #expect(await second.webSocket.nextText()?.hasPrefix(#"42["connected""#) == true)
    _ = try await Self.push(&http, "mobile", "4")
    #expect(await second.webSocket.nextText()?.hasPrefix(#"42["note",4,""#) == true)
    second.webSocket.close()
    await server.stop()
  }

  @Test func aPidWithoutAnOffsetRecoversFromWhereItWasIssued() async throws {
    let server = try await TestServer.start()
    let token = TestServer.userToken("early")
    var http = try await TestHTTPClient(port: server.port)
    _ = try await Self.push(&http, "early", "0")
    var first = try await TestSocketIOClient(port: server.port, auth: #"{"token":"\#(token)"}"#)
    let (sid, pid) = try Self.connectReply(await first.webSocket.nextText())
    first.webSocket.close()
    #expect(await TestServer.eventually { !(await server.context.registry.isConnected("early")) })
    _ = try await Self.push(&http, "early", "1")
    var second = try await TestSocketIOClient(
      port: server.port, auth: #"{"token":"\#(token)","pid":"\#(pid)"}"#)
    #expect(await second.webSocket.nextText()?.hasPrefix(#"42["note",1,""#) == true)
    #expect(try Self.connectReply(await second.webSocket.nextText()).sid == sid)
    second.webSocket.close()
    await server.stop()
  }

  @Test func anotherUsersPidRecoversNothing() async throws {
    let server = try await TestServer.start()
    var victim = try await TestSocketIOClient(
      port: server.port, auth: #"{"token":"\#(TestServer.userToken("victim"))"}"#)
    let (victimSid, victimPid) = try Self.connectReply(await victim.webSocket.nextText())
    var http = try await TestHTTPClient(port: server.port)
    _ = try await Self.push(&http, "victim", #""secret""#)
    var thief = try await TestSocketIOClient(
      port: server.port,
      auth: #"{"token":"\#(TestServer.userToken("thief"))","pid":"\#(victimPid)","offset":null}"#)
    let reply = try Self.connectReply(await thief.webSocket.nextText())
    #expect(reply.sid != victimSid && reply.pid != victimPid)
    #expect(await thief.webSocket.nextText()?.hasPrefix(#"42["connected""#) == true)
    _ = try await Self.push(&http, "thief", #""own""#)
    #expect(await thief.webSocket.nextText()?.hasPrefix(#"42["note","own""#) == true)
    for client in [victim, thief] { client.webSocket.close() }
    await server.stop()
  }

  @Test func aReconnectWhileTheOldTransportLooksAliveReplacesIt() async throws {
    let server = try await TestServer.start()
    let token = TestServer.userToken("twice")
    var old = try await TestSocketIOClient(port: server.port, auth: #"{"token":"\#(token)"}"#)
    let (sid, pid) = try Self.connectReply(await old.webSocket.nextText())
    var new = try await TestSocketIOClient(
      port: server.port, auth: #"{"token":"\#(token)","pid":"\#(pid)"}"#)
    #expect(try Self.connectReply(await new.webSocket.nextText()).sid == sid)
    _ = await new.webSocket.nextText()  // connected
    #expect(await server.context.registry.snapshot().connections == 1)
    var http = try await TestHTTPClient(port: server.port)
    #expect(try await Self.push(&http, "twice", "1")["success"] == .bool(true))
    #expect(await new.webSocket.nextText()?.hasPrefix(#"42["note",1,""#) == true)
    for client in [old, new] { client.webSocket.close() }
    await server.stop()
  }

  @Test func reportsAreAckedAndABadOneLeavesTheSocketOpen() async throws {
    let server = try await TestServer.start()
    var client = try await TestSocketIOClient.connected(port: server.port, userID: "reader")
    var http = try await TestHTTPClient(port: server.port)
    let answer = try await Self.push(&http, "reader", "1")
    let offset = try Self.offset(of: await client.webSocket.nextText())
    let messageID = try #require(answer["messageId"]?.stringValue)
    try await client.webSocket.send(#"421["delivered",{"offset":"\#(offset)"}]"#)
    #expect(await client.webSocket.nextText() == #"431[{"success":true}]"#)
    try await client.webSocket.send(#"422["read",{"messageIds":"nope"}]"#)
    #expect(
      await client.webSocket.nextText()?.hasPrefix(#"432[{"success":false,"message":"#) == true)
    try await client.webSocket.send(#"423["read",{"messageIds":["\#(messageID)"]}]"#)
    #expect(await client.webSocket.nextText() == #"433[{"success":true}]"#)
    try await client.webSocket.send(#"424["history",{"limit":5}]"#)
    let history = await client.webSocket.nextText() ?? ""
    #expect(history.contains(#""state":"read""#) && history.hasSuffix(#""next":null}]"#))
    let record = try await http.request(
      "GET", "/api/gateway/messages/\(messageID)",
      headers: [("Authorization", "Bearer \(TestServer.apiKey)")])
    #expect(record.status == 200)
    let recipients = try JSONParser.parse(record.text)["recipients"]?.arrayValue ?? []
    #expect(recipients.first?["state"] == .string("read"))
    #expect(recipients.first?["readAt"]?.stringValue != nil)
    client.webSocket.close()
    await server.stop()
  }
}

import Protocol
import Testing

@testable import Server

@Suite struct RESTAPIPushTests {
  private let key = [("Authorization", "Bearer \(TestServer.apiKey)")]

  @Test(arguments: [
    (#""persist":"no""#, "persist must be a boolean"),
    (#""ttl":0"#, "ttl must be a positive whole number of seconds"),
    (#""ttl":1.5"#, "ttl must be a positive whole number of seconds"),
    (#""id":"""#, "id must be a string of 1 to 200 characters"),
    (#""collapseKey":7"#, "collapseKey must be a string of 1 to 200 characters"),
    (#""persist":false,"id":"k""#, "ttl, id and collapseKey apply only to persisted messages"),
  ])
  func badOptionsAre400AndStoreNothing(_ extra: String, _ message: String) async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    let response = try await http.request(
      "POST", "/api/gateway/send", headers: key,
      body: #"{"userId":"strict","event":"e","message":1,\#(extra)}"#)
    #expect(response.status == 400)
    #expect(response.text.contains(message), "\(response.text)")
    let history = try await http.request("GET", "/api/gateway/history/strict", headers: key)
    #expect(history.text == #"{"userId":"strict","messages":[],"next":null}"#)
    await server.stop()
  }

  @Test func aRepeatedIdempotencyKeyAnswersTheFirstAnswerAndDeliversOnce() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    let body = #"{"userId":"once","event":"e","message":1,"id":"order-17"}"#
    let first = try await http.request("POST", "/api/gateway/send", headers: key, body: body)
    var client = try await TestSocketIOClient.connected(port: server.port, userID: "once")
    #expect(await client.webSocket.nextText()?.hasPrefix(#"42["e",1,""#) == true)
    let again = try await http.request("POST", "/api/gateway/send", headers: key, body: body)
    #expect(again.status == 201 && again.text == first.text)
    // Another caller's same key is its own request.
    let other = try await http.request(
      "POST", "/api/gateway/send",
      headers: [("Authorization", "Bearer \(TestServer.adminToken())")], body: body)
    #expect(other.text != first.text)
    #expect(await client.webSocket.nextText()?.hasPrefix(#"42["e",1,""#) == true)
    let history = try await http.request("GET", "/api/gateway/history/once", headers: key)
    #expect(try JSONParser.parse(history.text)["messages"]?.arrayValue?.count == 2)
    client.webSocket.close()
    await server.stop()
  }

  @Test func idempotencyKeysAreWholeAndPerRoute() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    for id in ["a-1", "a-2"] {  // two ids of one caller: two messages (a NUL once cut keys)
      let body = #"{"userId":"keys","event":"e","message":1,"id":"\#(id)"}"#
      _ = try await http.request("POST", "/api/gateway/send", headers: key, body: body)
    }
    let history = try await http.request("GET", "/api/gateway/history/keys", headers: key)
    #expect(try JSONParser.parse(history.text)["messages"]?.arrayValue?.count == 2)
    let many = try await http.request(
      "POST", "/api/gateway/send-many", headers: key,
      body: #"{"userIds":["keys"],"event":"e","message":1,"id":"a-1"}"#)
    #expect(try JSONParser.parse(many.text)["userIds"] == .array([.string("keys")]))
    await server.stop()
  }

  @Test func sendManyNamesItsMessageAndTheUsersWhoseCopyWaits() async throws {
    let server = try await TestServer.start()
    var online = try await TestSocketIOClient.connected(port: server.port, userID: "on")
    var http = try await TestHTTPClient(port: server.port)
    let response = try await http.request(
      "POST", "/api/gateway/send-many", headers: key,
      body: #"{"userIds":["on","off","on"],"event":"e","message":{"a":1}}"#)
    let answer = try JSONParser.parse(response.text)
    #expect(answer["message"] == .string("Message sent to 3 users"))
    #expect(answer["queuedUserIds"] == .array([.string("off")]))
    let messageID = try #require(answer["messageId"]?.stringValue)
    #expect(await online.webSocket.nextText()?.hasPrefix(#"42["e",{"a":1},""#) == true)
    let record = try await http.request("GET", "/api/gateway/messages/\(messageID)", headers: key)
    let states = try JSONParser.parse(record.text)["recipients"]?.arrayValue?.map {
      [$0["userId"]?.stringValue ?? "", $0["state"]?.stringValue ?? ""]
    }
    #expect(states == [["off", "queued"], ["on", "sent"]])
    online.webSocket.close()
    await server.stop()
  }

  @Test func aCollapseKeyLeavesAnOfflineUserOnlyTheLatest() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    for count in 1...3 {
      _ = try await http.request(
        "POST", "/api/gateway/send", headers: key,
        body: #"{"userId":"badge","event":"unread","message":\#(count),"collapseKey":"unread"}"#)
    }
    var client = try await TestSocketIOClient.connected(port: server.port, userID: "badge")
    #expect(await client.webSocket.nextText()?.hasPrefix(#"42["unread",3,""#) == true)
    client.webSocket.close()
    await server.stop()
  }
}

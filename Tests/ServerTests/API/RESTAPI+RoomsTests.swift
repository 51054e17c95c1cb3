import Protocol
import Testing

@testable import Server

@Suite struct RESTAPIRoomsTests {
  private let key = [("Authorization", "Bearer \(TestServer.apiKey)")]

  @Test func membershipIsListedInOrderAndSurvivesARestartOfTheStore() async throws {
    let folder = StoreTestSupport.temporaryFolder()
    let server = try await TestServer.start { $0.store = .sqlite(path: folder + "/rooms.db") }
    var http = try await TestHTTPClient(port: server.port)
    let online = try await TestSocketIOClient.connected(port: server.port, userID: "b")
    let added = try await http.request(
      "PUT", "/api/gateway/rooms/team:1/members", headers: key,
      body: #"{"userIds":["c","b","a","b"]}"#)
    #expect(added.text == #"{"room":"team:1","added":3,"members":3}"#)
    let room = try await http.request("GET", "/api/gateway/rooms/team:1", headers: key)
    #expect(room.text == #"{"room":"team:1","members":["c","b","a"],"online":["b"]}"#)
    _ = try await http.request(
      "PUT", "/api/gateway/rooms/team:2/members", headers: key, body: #"{"userIds":["a"]}"#)
    let removed = try await http.request(
      "DELETE", "/api/gateway/rooms/team:1/members", headers: key, body: #"{"userIds":["c","x"]}"#)
    #expect(removed.text == #"{"room":"team:1","removed":1,"members":2}"#)
    online.webSocket.close()
    await server.stop()
    let again = try await TestServer.start { $0.store = .sqlite(path: folder + "/rooms.db") }
    var http2 = try await TestHTTPClient(port: again.port)
    let rooms = try await http2.request("GET", "/api/gateway/users/a/rooms", headers: key)
    #expect(rooms.text == #"{"userId":"a","rooms":["team:1","team:2"]}"#)
    let deleted = try await http2.request("DELETE", "/api/gateway/rooms/team:1", headers: key)
    #expect(deleted.text == #"{"room":"team:1","removed":2}"#)
    let gone = try await http2.request("GET", "/api/gateway/rooms/team:1", headers: key)
    #expect(gone.status == 404)
    await again.stop()
  }

  @Test func badNamesAndLimitsAre400() async throws {
    let server = try await TestServer.start {
      $0.roomMaxMembers = 2
      $0.userMaxRooms = 1
    }
    var http = try await TestHTTPClient(port: server.port)
    let bad = try await http.request(
      "PUT", "/api/gateway/rooms/has%20space/members", headers: key, body: #"{"userIds":["a"]}"#)
    #expect(bad.status == 400 && bad.text.contains("room names are 1 to 128 characters"))
    let full = try await http.request(
      "PUT", "/api/gateway/rooms/r/members", headers: key, body: #"{"userIds":["a","b","c"]}"#)
    #expect(full.status == 400 && full.text.contains("at most 2 members"))
    _ = try await http.request(
      "PUT", "/api/gateway/rooms/r/members", headers: key, body: #"{"userIds":["a"]}"#)
    let tooMany = try await http.request(
      "PUT", "/api/gateway/rooms/s/members", headers: key, body: #"{"userIds":["a"]}"#)
    #expect(tooMany.status == 400 && tooMany.text.contains("already in 1 rooms"))
    let empty = try await http.request(
      "PUT", "/api/gateway/rooms/r/members", headers: key, body: #"{"userIds":[]}"#)
    #expect(empty.status == 400)
    let noRoom = try await http.request(
      "POST", "/api/gateway/send-room", headers: key,
      body: #"{"room":"nobody-here","event":"e","message":1}"#)
    #expect(noRoom.status == 404)
    let presence = try await http.request("GET", "/api/gateway/presence", headers: key)
    #expect(presence.status == 400)
    await server.stop()
  }

  @Test func aRoomSendGoesIntoEveryMembersLogExceptTheExcluded() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    _ = try await http.request(
      "PUT", "/api/gateway/rooms/r/members", headers: key, body: #"{"userIds":["on","off","me"]}"#)
    var member = try await TestSocketIOClient.connected(port: server.port, userID: "on")
    let sent = try await http.request(
      "POST", "/api/gateway/send-room", headers: key,
      body: #"{"room":"r","event":"chat","message":{"t":1},"exceptUserIds":["me"]}"#)
    let answer = try JSONParser.parse(sent.text)
    #expect(answer["message"] == .string("Message sent to room r"))
    #expect(
      answer["recipients"] == .number(2) && answer["queuedUserIds"] == .array([.string("off")]))
    #expect(await member.webSocket.nextText()?.hasPrefix(#"42["chat",{"t":1},""#) == true)
    var later = try await TestSocketIOClient.connected(port: server.port, userID: "off")
    #expect(await later.webSocket.nextText()?.hasPrefix(#"42["chat",{"t":1},""#) == true)
    let mine = try await http.request("GET", "/api/gateway/history/me", headers: key)
    #expect(mine.text == #"{"userId":"me","messages":[],"next":null}"#)
    for socket in [member, later] { socket.webSocket.close() }
    await server.stop()
  }
}

import Protocol
import Testing

@testable import Server

@Suite struct DashboardSnapshotTests {
  private func snapshot(_ server: TestServer, query: String = "") async throws -> (Int, JSONObject)
  {
    var http = try await TestHTTPClient(port: server.port)
    let response = try await http.request(
      "GET", "/api/gateway/dashboard/snapshot" + query,
      headers: [("Authorization", "Bearer \(TestServer.apiKey)")])
    guard case .object(let body) = try JSONParser.parse(response.body) else {
      throw TestSocket.Failure(description: "not an object: \(response.text)")
    }
    return (response.status, body)
  }

  private func users(_ body: JSONObject) -> [JSONObject] {
    guard case .array(let list)? = body["userList"] else { return [] }
    return list.compactMap { if case .object(let user) = $0 { user } else { nil } }
  }

  @Test func listsEachUsersSocketsWithTransportPeerAndConnectionTime() async throws {
    let server = try await TestServer.start()
    let before = Clock.unixMilliseconds()
    let alice = try await TestSocketIOClient.connected(port: server.port, userID: "alice")
    let bob = try await TestSocketIOClient.connected(port: server.port, userID: "bob")
    let (status, body) = try await snapshot(server)
    #expect(status == 200)
    #expect(body["users"] == .number(2))
    #expect(body["sockets"] == .number(2))
    #expect(body["truncated"] == .bool(false))
    let listed = users(body)
    #expect(listed.map { $0["userId"] } == [.string("alice"), .string("bob")])
    guard case .array(let sockets)? = listed.first?["sockets"],
      case .object(let socket)? = sockets.first
    else {
      Issue.record("no socket for alice")
      return
    }
    #expect(socket["transport"] == .string("websocket"))
    guard case .string(let peer)? = socket["peer"], case .string(let since)? = socket["connectedAt"]
    else {
      Issue.record("no peer or connectedAt")
      return
    }
    #expect(peer.hasPrefix("127.0.0.1:"))
    #expect(since >= ISOTimestamp.string(fromUnixMilliseconds: before))
    alice.webSocket.close()
    bob.webSocket.close()
    await server.stop()
  }

  @Test func qFiltersUsersAndLimitBoundsTheList() async throws {
    let server = try await TestServer.start()
    var clients: [TestSocketIOClient] = []
    for user in ["team-a-1", "team-a-2", "team-b-1"] {
      clients.append(try await TestSocketIOClient.connected(port: server.port, userID: user))
    }
    let (_, filtered) = try await snapshot(server, query: "?q=team-a")
    #expect(users(filtered).map { $0["userId"] } == [.string("team-a-1"), .string("team-a-2")])
    #expect(filtered["users"] == .number(3))
    let (_, limited) = try await snapshot(server, query: "?limit=1")
    #expect(users(limited).count == 1)
    #expect(limited["truncated"] == .bool(true))
    let (status, _) = try await snapshot(server, query: "?limit=0")
    #expect(status == 400)
    for client in clients { client.webSocket.close() }
    await server.stop()
  }

  @Test func theSnapshotNeedsTheRESTCredential() async throws {
    let server = try await TestServer.start { $0.metricsToken = "scrape-only" }
    var http = try await TestHTTPClient(port: server.port)
    let missing = try await http.request("GET", "/api/gateway/dashboard/snapshot")
    #expect(missing.status == 401)
    let scrapeToken = try await http.request(
      "GET", "/api/gateway/dashboard/snapshot", headers: [("Authorization", "Bearer scrape-only")])
    #expect(scrapeToken.status == 401)
    await server.stop()
  }
}

extension DashboardSnapshotTests {
  @Test func reportsTheStoresBacklogs() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    for _ in 0..<2 {
      _ = try await http.request(
        "POST", "/api/gateway/send",
        headers: [("Authorization", "Bearer \(TestServer.apiKey)")],
        body: #"{"userId":"away","event":"e","message":1}"#)
    }
    let (status, body) = try await snapshot(server)
    #expect(status == 200)
    #expect(body["store"]?["queued"] == .number(2))
    #expect(body["store"]?["webhookBacklog"] == .number(0))
    await server.stop()
  }
}

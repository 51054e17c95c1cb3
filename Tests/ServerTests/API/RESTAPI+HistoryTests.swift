import Protocol
import Testing

@testable import Server

@Suite struct RESTAPIHistoryTests {
  private let key = [("Authorization", "Bearer \(TestServer.apiKey)")]

  @Test func historyPagesWithNextAndDeleteErasesIt() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    for index in 1...3 {
      _ = try await http.request(
        "POST", "/api/gateway/send", headers: key,
        body: #"{"userId":"h","event":"e","message":\#(index)}"#)
    }
    let page = try JSONParser.parse(
      try await http.request("GET", "/api/gateway/history/h?limit=2", headers: key).text)
    #expect(page["messages"]?.arrayValue?.map { $0["message"] } == [.number(1), .number(2)])
    let next = try #require(page["next"]?.stringValue)
    let rest = try JSONParser.parse(
      try await http.request("GET", "/api/gateway/history/h?after=\(next)", headers: key).text)
    #expect(rest["messages"]?.arrayValue?.map { $0["message"] } == [.number(3)])
    #expect(rest["next"] == .null)
    let deleted = try await http.request("DELETE", "/api/gateway/history/h", headers: key)
    #expect(deleted.text == #"{"userId":"h","deleted":3}"#)
    let empty = try await http.request("GET", "/api/gateway/history/h", headers: key)
    #expect(empty.text == #"{"userId":"h","messages":[],"next":null}"#)
    await server.stop()
  }

  @Test(arguments: ["limit=0", "limit=x", "after=nodot"])
  func badHistoryQueriesAre400(_ query: String) async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    let response = try await http.request("GET", "/api/gateway/history/u?\(query)", headers: key)
    #expect(response.status == 400)
    #expect(response.text.hasPrefix(#"{"statusCode":400,"message":"#))
    await server.stop()
  }

  @Test func anUnknownMessageIs404AndAWrongMethod405() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    let missing = try await http.request("GET", "/api/gateway/messages/nope", headers: key)
    #expect(missing.status == 404)
    #expect(
      missing.text == #"{"statusCode":404,"message":"Message nope not found","error":"Not Found"}"#)
    let wrong = try await http.request("POST", "/api/gateway/history/u", headers: key)
    #expect(wrong.status == 405)
    #expect(wrong.text.contains("use GET or DELETE"))
    let unauthorized = try await http.request("GET", "/api/gateway/history/u")
    #expect(unauthorized.status == 401)
    await server.stop()
  }
}

import Testing

@testable import Server

@Suite struct RESTRouteLabelTests {
  @Test(arguments: [
    ("POST", "/api/gateway/send", RESTRouteLabel.send),
    ("POST", "/api/gateway/send-many/", .sendMany),
    ("GET", "/api/gateway/status/507f1f77bcf86cd799439011", .status),
    ("HEAD", "/api/gateway/stats", .stats),
    ("GET", "/api/gateway/messages/m-1", .message),
    ("GET", "/api/gateway/history/u-1", .history),
    ("DELETE", "/api/gateway/history/u-1", .deleteHistory),
    ("GET", "/metrics", .metrics),
    ("GET", "/healthz", .healthz),
    ("GET", "/api/gateway/send", .other),
    ("GET", "/api/gateway/status/", .other),
    ("GET", "/api/gateway/status/a/b", .other),
    ("GET", "/anything/else", .other),
  ])
  func pathsMapToTheirTemplate(method: String, path: String, expected: RESTRouteLabel) {
    #expect(RESTRouteLabel(method: method, path: path[...]) == expected)
  }

  @Test func theUserIDNeverBecomesALabel() {
    let label = RESTRouteLabel(method: "GET", path: "/api/gateway/status/secret-user"[...])
    #expect(label.route == "/api/gateway/status/:userId")
    #expect(label.method == "GET")
  }
}

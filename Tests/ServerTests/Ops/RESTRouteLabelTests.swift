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
    ("POST", "/api/gateway/send-room", .sendRoom),
    ("GET", "/api/gateway/rooms/team:42", .room),
    ("DELETE", "/api/gateway/rooms/team:42/", .deleteRoom),
    ("PUT", "/api/gateway/rooms/team:42/members", .addRoomMembers),
    ("DELETE", "/api/gateway/rooms/team:42/members", .removeRoomMembers),
    ("GET", "/api/gateway/rooms/members", .room),
    ("GET", "/api/gateway/users/u-1/rooms", .userRooms),
    ("GET", "/api/gateway/presence", .presence),
    ("POST", "/api/gateway/disconnect", .disconnect),
    ("POST", "/api/gateway/rooms/team:42/members", .other),
    ("GET", "/api/gateway/rooms//members", .other),
    ("GET", "/api/gateway/users/u-1/rooms/x", .other),
    ("GET", "/api/gateway/send", .other),
    ("GET", "/api/gateway/status/", .other),
    ("GET", "/api/gateway/status/a/b", .other),
    ("GET", "/anything/else", .other),
  ])
  func pathsMapToTheirTemplate(method: String, path: String, expected: RESTRouteLabel) {
    #expect(RESTRouteLabel(method: method, path: path[...]) == expected)
  }

  @Test func everyAPIRouteHasALabelAndAnAllowHeaderListingItsMethods() {
    let paths = [
      "/api/gateway/send", "/api/gateway/send-many", "/api/gateway/status/u",
      "/api/gateway/connected", "/api/gateway/stats", "/api/gateway/messages/m",
      "/api/gateway/history/u", "/api/gateway/send-room", "/api/gateway/rooms/r",
      "/api/gateway/rooms/r/members", "/api/gateway/users/u/rooms", "/api/gateway/presence",
      "/api/gateway/disconnect",
    ]
    for path in paths {
      let route = RESTAPI.Route.match(path[...])
      let label = RESTRouteLabel.matching(path: path[...])
      #expect(route != nil, "\(path)")
      #expect(label != .other, "\(path)")
      let allowed = label.allowedMethods?.components(separatedBy: ", ") ?? []
      #expect(allowed == route?.methods, "\(path)")
      for method in route?.methods ?? [] {
        let labelled = label.answering(method: method)
        #expect(labelled != .other && labelled.method == method, "\(method) \(path)")
      }
    }
  }

  @Test func theUserIDNeverBecomesALabel() {
    let label = RESTRouteLabel(method: "GET", path: "/api/gateway/status/secret-user"[...])
    #expect(label.route == "/api/gateway/status/:userId")
    #expect(label.method == "GET")
  }
}

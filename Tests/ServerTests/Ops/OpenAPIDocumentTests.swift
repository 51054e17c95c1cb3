import Protocol
import Testing

@testable import Server

@Suite struct OpenAPIDocumentTests {
  private func document() throws -> JSONObject {
    var limits = JSONLimits()
    limits.maxBytes = 1 << 20
    guard case .object(let root) = try JSONParser.parse(OpenAPIDocument.json, limits: limits) else {
      throw TestSocket.Failure(description: "not an object")
    }
    return root
  }

  @Test func theDocumentIsJSONOfOpenAPI31() throws {
    let root = try document()
    #expect(root["openapi"] == .string("3.1.0"))
  }

  @Test func everyDocumentedOperationHasARouteLabelOfItsOwn() throws {
    guard case .object(let paths)? = try document()["paths"] else {
      Issue.record("no paths")
      return
    }
    var operations = 0
    for (template, item) in paths {
      guard case .object(let methods) = item else { continue }
      // `/status/{userId}` is called as `/status/x` and labelled `/status/:userId`.
      let segments = template.split(separator: "/", omittingEmptySubsequences: false)
      let path = segments.map { $0.hasPrefix("{") ? "x" : String($0) }.joined(separator: "/")
      let labelled = segments.map { $0.hasPrefix("{") ? ":" + $0.dropFirst().dropLast() : $0 }
        .joined(separator: "/")
      for (method, _) in methods {
        operations += 1
        let label = RESTRouteLabel(method: method.uppercased(), path: path[...])
        #expect(label != .other, "\(method) \(template)")
        #expect(label.route == labelled)
      }
    }
    #expect(operations >= 13)
  }

  @Test func theSeedsRoutesAreAllDocumented() throws {
    guard case .object(let paths)? = try document()["paths"] else {
      Issue.record("no paths")
      return
    }
    for path in [
      "/api/gateway/send", "/api/gateway/send-many", "/api/gateway/status/{userId}",
      "/api/gateway/connected", "/api/gateway/stats", "/healthz", "/metrics",
    ] {
      #expect(paths[path] != nil, "\(path)")
    }
  }

  @Test func theDocumentIsServedWithoutACredential() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    let response = try await http.request("GET", "/api/gateway/openapi.json")
    #expect(response.status == 200)
    #expect(response.headers["content-type"] == "application/json; charset=utf-8")
    #expect(response.body == OpenAPIDocument.json)
    await server.stop()
  }
}

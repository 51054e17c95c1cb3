import Testing

@testable import Server

@Suite struct DashboardPageTests {
  @Test func thePageIsServedWithoutACredentialWithAStrictPolicy() async throws {
    let server = try await TestServer.start()
    var http = try await TestHTTPClient(port: server.port)
    let response = try await http.request("GET", "/dashboard")
    #expect(response.status == 200)
    #expect(response.headers["content-type"] == "text/html; charset=utf-8")
    let policy = response.headers["content-security-policy"] ?? ""
    #expect(policy.contains("default-src 'none'") && policy.contains("connect-src 'self'"))
    #expect(response.headers["cache-control"] == "no-store")
    #expect(response.body == DashboardPage.html)
    await server.stop()
  }

  @Test func thePageLoadsNothingFromElsewhere() {
    let page = String(decoding: DashboardPage.html, as: UTF8.self)
    #expect(!page.contains("http://") && !page.contains("https://"))
    #expect(!page.contains("<script src") && !page.contains("<link"))
    #expect(page.contains("/api/gateway/dashboard/snapshot"))
    #expect(page.hasSuffix("</html>"))
  }
}

import Testing

@testable import Server

@Suite struct WebhookURLTests {
  @Test(arguments: [
    ("http://127.0.0.1:8080/hooks?x=1", false, "127.0.0.1", 8080, "/hooks?x=1", "127.0.0.1:8080"),
    ("https://api.example.com", true, "api.example.com", 443, "/", "api.example.com"),
    ("http://[::1]:9000/h", false, "::1", 9000, "/h", "[::1]:9000"),
  ])
  func urlsParse(
    _ text: String, _ secure: Bool, _ host: String, _ port: Int, _ target: String, _ header: String
  ) throws {
    let url = try #require(WebhookURL(text))
    #expect(url.secure == secure && url.host == host && url.port == port)
    #expect(url.target == target && url.hostHeader == header)
  }

  @Test(arguments: [
    "ftp://x/", "http://", "http://host:0/", "http://host:99999/", "http://user@host/",
  ])
  func badURLsAreRefused(_ text: String) {
    #expect(WebhookURL(text) == nil)
  }

  @Test func backoffGrowsToItsCapWithJitter() {
    #expect(WebhookBackoff.delay(afterAttempt: 1, random: 0.5) == 1000)
    #expect(WebhookBackoff.delay(afterAttempt: 3, random: 0.5) == 4000)
    #expect(WebhookBackoff.delay(afterAttempt: 3, random: 0) == 2000)
    #expect(WebhookBackoff.delay(afterAttempt: 40, random: 0.5) == WebhookBackoff.cap)
  }

  @Test(
    arguments: [
      ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 200, 2, false, false),
      (
        "HTTP/1.1 500 Oops\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n", 500, nil,
        true, true
      ),
      ("HTTP/1.0 410 Gone\r\n\r\n", 410, nil, false, true),
    ] as [(String, Int, Int?, Bool, Bool)])
  func responseHeadsParse(
    _ text: String, _ status: Int, _ length: Int?, _ chunked: Bool, _ close: Bool
  )
    throws
  {
    let (head, _) = try #require(WebhookResponseHead.parse(Array(text.utf8)))
    #expect(head.status == status && head.contentLength == length)
    #expect(head.chunked == chunked && head.close == close)
  }
}

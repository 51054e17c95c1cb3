import Testing

@testable import Server

@Suite struct WebhookSignerTests {
  @Test func theStandardWebhooksExampleSignsAsPublished() throws {
    // The example of the Standard Webhooks specification (also in its test suites).
    let signer = try #require(WebhookSigner(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
    let headers = signer.headers(
      id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330,
      body: Array(#"{"test": 2432232314}"#.utf8))
    #expect(
      headers.first { $0.0 == "webhook-signature" }?.1
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    #expect(headers.first { $0.0 == "webhook-id" }?.1 == "msg_p5jXN8AQM9LWM0D4loKWxJek")
    #expect(headers.first { $0.0 == "webhook-timestamp" }?.1 == "1614265330")
  }

  @Test func badSecretsAreRefused() {
    #expect(WebhookSigner(secret: "") == nil)
    #expect(WebhookSigner(secret: "whsec_") == nil)
    #expect(WebhookSigner(secret: "whsec_***") == nil)
    #expect(WebhookSigner(secret: "plain text secret") != nil)
  }
}

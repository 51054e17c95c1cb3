import Auth
import Protocol

/// Signs webhooks by the Standard Webhooks scheme (standardwebhooks.com), so any of its
/// verifier libraries accepts them:
///
/// ```
/// webhook-id:        msg_<random>         (the same on every retry of one event)
/// webhook-timestamp: <unix seconds of this attempt>
/// webhook-signature: v1,<base64 HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>
/// ```
///
/// A secret written `whsec_<base64>` is the decoded bytes; anything else its UTF-8 bytes.
struct WebhookSigner: Sendable {
  private let authenticator: MessageAuthenticator

  /// Nil when a `whsec_` secret is not valid base64 or is empty.
  init?(secret: String) {
    var key = Array(secret.utf8)
    if secret.hasPrefix("whsec_") {
      var encoded = Array(secret.utf8.dropFirst(6))
      while encoded.count % 4 != 0 { encoded.append(UInt8(ascii: "=")) }
      guard let decoded = Base64.decode(encoded), !decoded.isEmpty else { return nil }
      key = decoded
    }
    guard !key.isEmpty else { return nil }
    authenticator = MessageAuthenticator(secret: key)
  }

  /// The three signature headers for one attempt.
  func headers(id: String, timestamp: Int64, body: [UInt8]) -> [(String, String)] {
    let signed = Array("\(id).\(timestamp).".utf8) + body
    let signature = Base64.encode(authenticator.code(for: signed), alphabet: .standard)
    return [
      ("webhook-id", id), ("webhook-timestamp", "\(timestamp)"),
      ("webhook-signature", "v1,\(signature)"),
    ]
  }
}

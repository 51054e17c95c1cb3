/// HMAC-SHA256 under one secret, keyed once: signs recovery ids (`pid`s) and, later,
/// webhooks.
public struct MessageAuthenticator: Sendable {
  private let context: HMACKeyContext

  /// Keys HMAC-SHA256 with `secret`.
  public init(secret: [UInt8]) {
    guard let context = HMACKeyContext(secret: secret, algorithm: .hs256) else {
      fatalError("OpenSSL could not create an HMAC context")
    }
    self.context = context
  }

  /// The 32-byte MAC of `message`.
  public func code(for message: [UInt8]) -> [UInt8] {
    guard let code = message.withUnsafeBytes({ context.sign($0) }) else {
      fatalError("OpenSSL could not compute an HMAC")
    }
    return code
  }
}

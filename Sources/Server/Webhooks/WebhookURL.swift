/// Where webhooks go: `http://host[:port]/path` or `https://…` (`GATEWAY_WEBHOOK_URL`).
struct WebhookURL: Sendable, Equatable {
  var secure: Bool
  var host: String
  var port: Int
  /// The request target, `/` at least, with any query.
  var target: String

  /// Parses the URL; nil for another scheme, no host, or a bad port.
  init?(_ text: String) {
    let rest: Substring
    if text.hasPrefix("https://") {
      secure = true
      rest = text.dropFirst(8)
    } else if text.hasPrefix("http://") {
      secure = false
      rest = text.dropFirst(7)
    } else {
      return nil
    }
    let authority = rest.prefix { $0 != "/" && $0 != "?" }
    let path = rest.dropFirst(authority.count)
    target = path.isEmpty ? "/" : (path.first == "?" ? "/" + path : String(path))
    var hostPart = authority
    port = secure ? 443 : 80
    if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
      guard let number = Int(authority[authority.index(after: colon)...]),
        (1...65535).contains(number)
      else { return nil }
      port = number
      hostPart = authority[..<colon]
    }
    host = String(hostPart.trimmingPrefix("[")).replacingSuffix("]")
    guard !host.isEmpty, !host.contains("@") else { return nil }
  }

  /// The `Host` header.
  var hostHeader: String {
    let name = host.contains(":") ? "[\(host)]" : host
    return port == (secure ? 443 : 80) ? name : "\(name):\(port)"
  }
}

extension String {
  fileprivate func replacingSuffix(_ suffix: String) -> String {
    hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
  }
}

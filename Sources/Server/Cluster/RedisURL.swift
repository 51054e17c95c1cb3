/// Where the Redis server is and how to log in: `redis://[user:password@]host[:port][/db]`.
///
/// The password is kept for `AUTH`/`HELLO` and never printed: `description` masks it, so
/// the value can go into logs and start-up errors as is.
struct RedisURL: Sendable, Equatable, CustomStringConvertible {
  /// Why a URL was refused, as one sentence that never contains the password.
  struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, e.g. "GATEWAY_REDIS_URL: port must be 1-65535".
    var message: String
    /// The message.
    var description: String { message }
  }

  /// Host name or IP literal (IPv6 without its brackets).
  var host: String
  /// TCP port; 6379 when the URL names none.
  var port: Int
  /// ACL user for `AUTH`/`HELLO`; nil means Redis's `default` user.
  var username: String?
  /// Password, percent-decoded; nil when the URL has none.
  var password: String?
  /// Database index for `SELECT`; 0 (Redis's default) when the URL names none.
  var database: Int

  /// A URL with the given parts.
  init(
    host: String, port: Int = 6379, username: String? = nil, password: String? = nil,
    database: Int = 0
  ) {
    self.host = host
    self.port = port
    self.username = username
    self.password = password
    self.database = database
  }

  /// Parses `text`; the scheme must be `redis`. User and password may be percent-encoded.
  init(parsing text: String) throws(Invalid) {
    let scheme = "redis://"
    guard text.lowercased().hasPrefix(scheme) else {
      throw Invalid(message: "Redis URL must start with redis:// (rediss:// is not supported)")
    }
    var rest = Substring(text.dropFirst(scheme.count))
    var database = 0
    if let slash = rest.firstIndex(of: "/") {
      let path = rest[rest.index(after: slash)...]
      rest = rest[..<slash]
      if !path.isEmpty {
        guard let index = Int(path), index >= 0 else {
          throw Invalid(message: "Redis URL database must be a number 0 or more")
        }
        database = index
      }
    }
    var username: String?
    var password: String?
    if let at = rest.lastIndex(of: "@") {
      let credentials = rest[..<at]
      rest = rest[rest.index(after: at)...]
      if let colon = credentials.firstIndex(of: ":") {
        username = Self.percentDecoded(credentials[..<colon])
        password = Self.percentDecoded(credentials[credentials.index(after: colon)...])
      } else {
        // `redis://secret@host` is the common form of a password alone (redis-cli reads it so).
        password = Self.percentDecoded(credentials)
      }
      // Empty means absent: Redis treats an empty password as none (`requirepass ""`).
      if username?.isEmpty == true { username = nil }
      if password?.isEmpty == true { password = nil }
      guard username != nil || password != nil else {
        throw Invalid(message: "Redis URL has an '@' but no user or password")
      }
    }
    let (host, port) = try Self.hostAndPort(rest)
    self.init(
      host: host, port: port, username: username, password: password, database: database)
  }

  /// `redis://user:***@host:port/db`, the password masked.
  var description: String {
    var text = "redis://"
    if let username {
      text += username + (password == nil ? "@" : ":***@")
    } else if password != nil {
      text += ":***@"
    }
    text += host.contains(":") ? "[\(host)]" : host
    return text + ":\(port)/\(database)"
  }

  private static func hostAndPort(_ authority: Substring) throws(Invalid) -> (String, Int) {
    var host = authority
    var portText: Substring?
    if host.hasPrefix("[") {
      guard let close = host.firstIndex(of: "]") else {
        throw Invalid(message: "Redis URL has an unclosed '[' in its host")
      }
      let after = host[host.index(after: close)...]
      host = host[host.index(after: host.startIndex)..<close]
      if !after.isEmpty {
        guard after.hasPrefix(":") else { throw Invalid(message: "Redis URL host is malformed") }
        portText = after.dropFirst()
      }
    } else if let colon = host.lastIndex(of: ":") {
      portText = host[host.index(after: colon)...]
      host = host[..<colon]
    }
    guard !host.isEmpty else { throw Invalid(message: "Redis URL has no host") }
    var port = 6379
    if let portText {
      guard let number = Int(portText), (1...65535).contains(number) else {
        throw Invalid(message: "Redis URL port must be a number from 1 to 65535")
      }
      port = number
    }
    return (String(host), port)
  }

  /// `text` with `%XX` escapes decoded; a malformed escape is kept as written.
  private static func percentDecoded(_ text: Substring) -> String {
    var bytes: [UInt8] = []
    var iterator = Array(text.utf8)[...]
    while let byte = iterator.popFirst() {
      if byte == UInt8(ascii: "%"), iterator.count >= 2,
        let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
      {
        bytes.append(value)
        iterator = iterator.dropFirst(2)
      } else {
        bytes.append(byte)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

import Testing

@testable import Server

@Suite struct RedisURLTests {
  static let valid: [(String, RedisURL)] = [
    ("redis://localhost", RedisURL(host: "localhost")),
    ("redis://127.0.0.1:6380", RedisURL(host: "127.0.0.1", port: 6380)),
    ("redis://h:1/2", RedisURL(host: "h", port: 1, database: 2)),
    ("redis://h/", RedisURL(host: "h")),
    ("REDIS://h", RedisURL(host: "h")),
    ("redis://:pw@h", RedisURL(host: "h", password: "pw")),
    ("redis://pw@h", RedisURL(host: "h", password: "pw")),
    (
      "redis://user:pw@h:7000/15",
      RedisURL(host: "h", port: 7000, username: "user", password: "pw", database: 15)
    ),
    ("redis://u:p%40ss%3Aw@h", RedisURL(host: "h", username: "u", password: "p@ss:w")),
    ("redis://u:a@b@h", RedisURL(host: "h", username: "u", password: "a@b")),
    ("redis://[::1]:6390/1", RedisURL(host: "::1", port: 6390, database: 1)),
    ("redis://[::1]", RedisURL(host: "::1")),
  ]

  @Test(arguments: valid)
  func urlParses(text: String, expected: RedisURL) throws {
    #expect(try RedisURL(parsing: text) == expected)
  }

  static let invalid: [(String, String)] = [
    ("http://h", "Redis URL must start with redis:// (rediss:// is not supported)"),
    ("rediss://h", "Redis URL must start with redis:// (rediss:// is not supported)"),
    ("redis://", "Redis URL has no host"),
    ("redis://:6379", "Redis URL has no host"),
    ("redis://h:0", "Redis URL port must be a number from 1 to 65535"),
    ("redis://h:70000", "Redis URL port must be a number from 1 to 65535"),
    ("redis://h:x", "Redis URL port must be a number from 1 to 65535"),
    ("redis://h/x", "Redis URL database must be a number 0 or more"),
    ("redis://h/-1", "Redis URL database must be a number 0 or more"),
    ("redis://@h", "Redis URL has an '@' but no user or password"),
    ("redis://[::1", "Redis URL has an unclosed '[' in its host"),
    ("redis://[::1]x", "Redis URL host is malformed"),
  ]

  @Test(arguments: invalid)
  func urlIsRefusedWithAReason(text: String, message: String) {
    #expect(throws: RedisURL.Invalid(message: message)) { try RedisURL(parsing: text) }
  }

  @Test func descriptionNeverShowsThePassword() throws {
    let url = try RedisURL(parsing: "redis://admin:hunter2@cache:6380/4")
    #expect(url.description == "redis://admin:***@cache:6380/4")
    #expect(try RedisURL(parsing: "redis://hunter2@h").description == "redis://:***@h:6379/0")
    #expect(try RedisURL(parsing: "redis://[::1]").description == "redis://[::1]:6379/0")
    #expect("\(url)".contains("hunter2") == false)
  }

  @Test func errorsNeverShowThePassword() {
    let error = #expect(throws: RedisURL.Invalid.self) {
      try RedisURL(parsing: "redis://u:hunter2@h:99999")
    }
    #expect(error?.message.contains("hunter2") == false)
  }
}

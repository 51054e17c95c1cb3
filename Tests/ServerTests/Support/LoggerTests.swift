import Protocol
import Synchronization
import Testing

@testable import Server

@Suite struct LoggerTests {
  private func capture(_ format: Logger.Format, level: Logger.Level = .debug) -> (
    Logger, LogCapture
  ) {
    let lines = LogCapture()
    return (Logger(level: level, format: format) { lines.append($0) }, lines)
  }

  @Test func jsonLinesAreOneObjectWithTimeLevelMessageAndFields() throws {
    let (logger, lines) = capture(.json)
    logger.info("connected", ["user": "u-1", "transport": "websocket"])
    #expect(lines.all.count == 1)
    let line = try #require(lines.all.first)
    #expect(!line.contains("\n"))
    guard case .object(let object) = try JSONParser.parse(Array(line.utf8)) else {
      Issue.record("not an object: \(line)")
      return
    }
    #expect(object.keys == ["time", "level", "msg", "user", "transport"])
    #expect(object["level"] == .string("info"))
    #expect(object["msg"] == .string("connected"))
    #expect(object["user"] == .string("u-1"))
    guard case .string(let time)? = object["time"] else {
      Issue.record("no time")
      return
    }
    #expect(time.hasSuffix("Z") && time.count == "2026-12-04T10:00:00.000Z".count)
  }

  @Test func jsonEscapesQuotesBackslashesAndLineBreaksInMessagesAndFields() throws {
    let (logger, lines) = capture(.json)
    logger.warning("a \"quoted\"\nline\\", ["detail": "tab\there\r\n\u{1}"])
    let line = try #require(lines.all.first)
    #expect(!line.contains("\n"))
    guard case .object(let object) = try JSONParser.parse(Array(line.utf8)) else {
      Issue.record("not an object: \(line)")
      return
    }
    #expect(object["msg"] == .string("a \"quoted\"\nline\\"))
    #expect(object["detail"] == .string("tab\there\r\n\u{1}"))
    #expect(object["level"] == .string("warn"))
  }

  @Test func aFieldNamedLikeAReservedKeyDoesNotDuplicateIt() throws {
    let (logger, lines) = capture(.json)
    logger.error("boom", ["level": "fake", "time": "t", "msg": "m"])
    let line = try #require(lines.all.first)
    guard case .object(let object) = try JSONParser.parse(Array(line.utf8)) else {
      Issue.record("not an object: \(line)")
      return
    }
    #expect(object.keys == ["time", "level", "msg", "field.level", "field.time", "field.msg"])
    #expect(object["level"] == .string("error"))
    #expect(object["field.level"] == .string("fake"))
  }

  @Test func linesBelowTheLevelAreNotWrittenNorBuilt() {
    let (logger, lines) = capture(.json, level: .warning)
    let built = Atomic<Int>(0)
    func message() -> String {
      built.add(1, ordering: .relaxed)
      return "expensive"
    }
    logger.info(message())
    logger.debug(message())
    #expect(lines.all.isEmpty)
    #expect(built.load(ordering: .relaxed) == 0)
  }

  @Test func textLinesQuoteValuesWithSpaces() throws {
    let (logger, lines) = capture(.text)
    logger.info("disconnected", ["reason": "transport close", "user": "u"])
    let line = try #require(lines.all.first)
    #expect(line.hasSuffix(#" INFO disconnected reason="transport close" user=u"#))
  }
}

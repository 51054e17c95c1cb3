import Glibc
import Protocol
import Synchronization

/// A small injected logger: one line per event, text or JSON, to a sink (stderr by default).
///
/// Messages are autoclosures so a disabled level costs nothing. Never pass tokens; payloads
/// only at debug.
struct Logger: Sendable {
  /// Severity, lowest first.
  enum Level: Int, Comparable, Sendable, CaseIterable {
    case debug, info, warning, error

    static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The level's name as written in logs and accepted in `GATEWAY_LOG_LEVEL`.
    var name: String { ["debug", "info", "warn", "error"][rawValue] }
  }

  /// Line format.
  enum Format: String, Sendable {
    case text, json
  }

  /// Lowest level written.
  var level: Level
  /// Text or JSON lines.
  var format: Format
  /// Receives each finished line (without the newline).
  var sink: @Sendable (String) -> Void

  /// A logger writing to standard error.
  static func standardError(level: Level, format: Format) -> Logger {
    Logger(level: level, format: format) { line in
      StandardErrorSink.shared.write(line)
    }
  }

  /// A logger that drops everything.
  static let disabled = Logger(level: .error, format: .text) { _ in }

  func debug(
    _ message: @autoclosure () -> String,
    _ fields: @autoclosure () -> KeyValuePairs<String, String> = [:]
  ) {
    log(.debug, message(), fields())
  }

  func info(
    _ message: @autoclosure () -> String,
    _ fields: @autoclosure () -> KeyValuePairs<String, String> = [:]
  ) {
    log(.info, message(), fields())
  }

  func warning(
    _ message: @autoclosure () -> String,
    _ fields: @autoclosure () -> KeyValuePairs<String, String> = [:]
  ) {
    log(.warning, message(), fields())
  }

  func error(
    _ message: @autoclosure () -> String,
    _ fields: @autoclosure () -> KeyValuePairs<String, String> = [:]
  ) {
    log(.error, message(), fields())
  }

  private func log(
    _ level: Level, _ message: @autoclosure () -> String,
    _ fields: @autoclosure () -> KeyValuePairs<String, String>
  ) {
    guard level >= self.level else { return }
    let time = ISOTimestamp.now()
    switch format {
    case .text:
      var line = "\(time) \(level.name.uppercased()) \(message())"
      for (key, value) in fields() {
        let needsQuotes = value.isEmpty || value.contains(" ") || value.contains("\"")
        line +=
          needsQuotes
          ? " \(key)=\"\(value.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "'"))\""
          : " \(key)=\(value)"
      }
      sink(line)
    case .json:
      var bytes: [UInt8] = Array("{\"time\":\"\(time)\",\"level\":\"\(level.name)\",\"msg\":".utf8)
      JSONWriter.writeString(message(), into: &bytes)
      for (key, value) in fields() {
        bytes.append(UInt8(ascii: ","))
        // A field named like a line key would make a duplicate key, which parsers resolve
        // differently (last wins in JSON.parse, first in others): it is renamed instead.
        let isReserved = key == "time" || key == "level" || key == "msg"
        JSONWriter.writeString(isReserved ? "field." + key : key, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        JSONWriter.writeString(value, into: &bytes)
      }
      bytes.append(UInt8(ascii: "}"))
      sink(String(decoding: bytes, as: UTF8.self))
    }
  }
}

/// Serialises whole lines onto fd 2 so concurrent log lines never interleave.
final class StandardErrorSink: Sendable {
  static let shared = StandardErrorSink()
  private let lock = Mutex(())

  func write(_ line: String) {
    var bytes = Array(line.utf8)
    bytes.append(UInt8(ascii: "\n"))
    lock.withLock { _ in
      var offset = 0
      while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
        if written < 0 {
          if errno == EINTR { continue }
          return
        }
        offset += written
      }
    }
  }
}

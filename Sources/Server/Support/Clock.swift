import Glibc

/// Monotonic and wall-clock readings, in one place so tests can reason about them.
enum Clock {
  /// Nanoseconds on the monotonic clock (never jumps; used for every deadline).
  static func monotonicNanoseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
  }

  /// Milliseconds since the Unix epoch on the wall clock.
  static func unixMilliseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
  }

  /// Seconds since the Unix epoch, with a fraction (for JWT `exp`/`nbf` checks).
  static func unixSeconds() -> Double {
    Double(unixMilliseconds()) / 1000
  }
}

/// ISO 8601 timestamps exactly as JavaScript's `Date.prototype.toISOString` writes them:
/// `2026-02-07T10:00:00.000Z` (UTC, milliseconds).
enum ISOTimestamp {
  /// Formats milliseconds since the Unix epoch (years 0...9999).
  static func string(fromUnixMilliseconds milliseconds: Int64) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(24)
    append(fromUnixMilliseconds: milliseconds, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends the timestamp's 24 ASCII bytes to `bytes` (no quotes).
  static func append(fromUnixMilliseconds milliseconds: Int64, to bytes: inout [UInt8]) {
    let days = floorDivide(milliseconds, 86_400_000)
    let msOfDay = milliseconds - days * 86_400_000
    let (year, month, day) = civilDate(fromDays: days)
    let hour = msOfDay / 3_600_000
    let minute = msOfDay / 60_000 % 60
    let second = msOfDay / 1000 % 60
    let millis = msOfDay % 1000
    append(year, width: 4, to: &bytes)
    bytes.append(UInt8(ascii: "-"))
    append(month, width: 2, to: &bytes)
    bytes.append(UInt8(ascii: "-"))
    append(day, width: 2, to: &bytes)
    bytes.append(UInt8(ascii: "T"))
    append(hour, width: 2, to: &bytes)
    bytes.append(UInt8(ascii: ":"))
    append(minute, width: 2, to: &bytes)
    bytes.append(UInt8(ascii: ":"))
    append(second, width: 2, to: &bytes)
    bytes.append(UInt8(ascii: "."))
    append(millis, width: 3, to: &bytes)
    bytes.append(UInt8(ascii: "Z"))
  }

  /// The current time.
  static func now() -> String { string(fromUnixMilliseconds: Clock.unixMilliseconds()) }

  private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
    a >= 0 ? a / b : (a - b + 1) / b
  }

  // Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
  private static func civilDate(fromDays days: Int64) -> (Int64, Int64, Int64) {
    let z = days + 719_468
    let era = floorDivide(z, 146_097)
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (year, month, day)
  }

  /// Appends the low `width` decimal digits of `value`, zero-padded.
  private static func append(_ value: Int64, width: Int, to bytes: inout [UInt8]) {
    // Written in place: a temporary reversed array per field made every `messageReceived`
    // pay ~4,500 instructions for its timestamp (callgrind).
    let start = bytes.count
    bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
    var remaining = value
    for index in stride(from: start + width - 1, through: start, by: -1) {
      bytes[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
      remaining /= 10
    }
  }
}

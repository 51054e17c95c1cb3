/// Progress through one `chunk-size [ chunk-ext ] CRLF` line (RFC 9112 §7.1), kept between
/// calls so each byte is examined once and consumed at once.
///
/// ```
/// 1a;name=value\r\n
/// ^^                 digits     (hex, at most 16)
///   ^^^^^^^^^^^      extension  (ignored, bounded)
///              ^^    carriageReturn, then LF
/// ```
struct HTTPChunkSizeLine: Sendable {
  /// Which part of the line the next byte belongs to.
  enum Phase: Sendable {
    case digits
    case extensionPart
    case carriageReturn
  }

  /// Most hex digits in a chunk size; 16 covers any 64-bit size, leading zeros included.
  static let maxDigits = 16

  var phase = Phase.digits
  /// The chunk size read so far.
  var size = 0
  /// Hex digits read so far.
  var digits = 0
}

/// Base64 (RFC 4648 §4) and base64url (§5) without Foundation.
///
/// Engine.IO polling carries binary as standard base64 with padding (`b<base64>` records);
/// JWTs use base64url without padding.
public enum Base64 {
  /// Which of the two RFC 4648 alphabets to use.
  public enum Alphabet: Sendable {
    /// `+` and `/`, padded with `=`.
    case standard
    /// `-` and `_`, unpadded.
    case url
  }

  // Internal and inlinable: callers in Server and Auth pass [UInt8] and String.UTF8View, and
  // the unspecialised generic entry points cost ~15,000 instructions per 20-character id or
  // JWT part (callgrind, connect path).
  /// The standard alphabet, indexed by sextet.
  @usableFromInline static let standardTable = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
  /// The url alphabet, indexed by sextet.
  @usableFromInline static let urlTable = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

  /// Appends the encoding of `bytes` to `output`.
  @inlinable
  public static func encode(
    _ bytes: some Collection<UInt8>, alphabet: Alphabet = .standard, into output: inout [UInt8]
  ) {
    let table = alphabet == .standard ? standardTable : urlTable
    output.reserveCapacity(output.count + (bytes.count + 2) / 3 * 4)
    var iterator = bytes.makeIterator()
    while let b0 = iterator.next() {
      let b1 = iterator.next()
      let b2 = iterator.next()
      output.append(table[Int(b0 >> 2)])
      output.append(table[Int((b0 & 0x03) << 4 | (b1 ?? 0) >> 4)])
      if let b1 {
        output.append(table[Int((b1 & 0x0F) << 2 | (b2 ?? 0) >> 6)])
      } else if alphabet == .standard {
        output.append(UInt8(ascii: "="))
      }
      if let b2 {
        output.append(table[Int(b2 & 0x3F)])
      } else if alphabet == .standard {
        output.append(UInt8(ascii: "="))
      }
    }
  }

  /// The encoding of `bytes` as a string.
  @inlinable
  public static func encode(_ bytes: some Collection<UInt8>, alphabet: Alphabet = .standard)
    -> String
  {
    var output: [UInt8] = []
    encode(bytes, alphabet: alphabet, into: &output)
    return String(decoding: output, as: UTF8.self)
  }

  /// Decodes `text`, or returns nil if it holds a character outside the alphabet, bad
  /// padding, or an impossible length. Standard input must be padded; url input must not be.
  @inlinable
  public static func decode(_ text: some Collection<UInt8>, alphabet: Alphabet = .standard)
    -> [UInt8]?
  {
    var count = text.count
    if alphabet == .standard {
      guard count % 4 == 0 else { return nil }
      if count > 0, text.reversed().first == UInt8(ascii: "=") {
        count -= 1
        if text.reversed().dropFirst().first == UInt8(ascii: "=") { count -= 1 }
      }
    } else if count % 4 == 1 {
      return nil
    }
    var output: [UInt8] = []
    output.reserveCapacity(count * 3 / 4)
    var accumulator: UInt32 = 0
    var bits = 0
    for (index, char) in text.enumerated() {
      if index >= count { break }
      guard let value = sextet(char, alphabet: alphabet) else { return nil }
      accumulator = accumulator << 6 | UInt32(value)
      bits += 6
      if bits >= 8 {
        bits -= 8
        output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
      }
    }
    // Leftover bits must be zero (canonical encoding), as RFC 4648 §3.5 recommends.
    if bits > 0, accumulator & ((1 << UInt32(bits)) - 1) != 0 { return nil }
    return output
  }

  /// Decodes a string; see `decode(_:alphabet:)`.
  public static func decode(_ text: String, alphabet: Alphabet = .standard) -> [UInt8]? {
    decode(Array(text.utf8), alphabet: alphabet)
  }

  /// The 6-bit value of one alphabet character, or nil.
  @inlinable @inline(__always)
  static func sextet(_ char: UInt8, alphabet: Alphabet) -> UInt8? {
    switch char {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): return char - UInt8(ascii: "A")
    case UInt8(ascii: "a")...UInt8(ascii: "z"): return char - UInt8(ascii: "a") + 26
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return char - UInt8(ascii: "0") + 52
    case UInt8(ascii: "+") where alphabet == .standard: return 62
    case UInt8(ascii: "/") where alphabet == .standard: return 63
    case UInt8(ascii: "-") where alphabet == .url: return 62
    case UInt8(ascii: "_") where alphabet == .url: return 63
    default: return nil
    }
  }
}

/// Reads the few things the scenarios need out of a Socket.IO packet's text without parsing
/// its JSON: the event name, and small integers tagged by the generator (`"u":17`).
///
/// The generator's own payloads are objects with unique short keys, and both servers forward
/// them as `JSON.stringify` would, so a byte search is exact here.
enum PacketScanner {
  /// Whether `packet` (`2["<name>",…` on the main namespace) is the event `name`.
  static func isEvent(_ packet: UnsafeBufferPointer<UInt8>, named name: [UInt8]) -> Bool {
    // `2` then `[` then `"`; no namespace and no ack id on the generator's events.
    guard packet.count >= name.count + 4, packet[0] == UInt8(ascii: "2"),
      packet[1] == UInt8(ascii: "["), packet[2] == UInt8(ascii: "\"")
    else { return false }
    for offset in 0..<name.count where packet[3 + offset] != name[offset] { return false }
    return packet[3 + name.count] == UInt8(ascii: "\"")
  }

  /// The non-negative integer right after the first occurrence of `key` (e.g. `"s":`).
  static func integer(after key: [UInt8], in packet: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let start = firstIndex(of: key, in: packet) else { return nil }
    var position = start + key.count
    var value = 0
    var digits = 0
    while position < packet.count, packet[position] >= 0x30, packet[position] <= 0x39,
      digits < 18
    {
      value = value * 10 + Int(packet[position] - 0x30)
      position += 1
      digits += 1
    }
    return digits > 0 ? value : nil
  }

  /// Where `needle` first starts in `haystack`.
  static func firstIndex(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let first = needle.first, haystack.count >= needle.count else { return nil }
    var position = 0
    let last = haystack.count - needle.count
    outer: while position <= last {
      if haystack[position] != first {
        position += 1
        continue
      }
      for offset in 1..<needle.count where haystack[position + offset] != needle[offset] {
        position += 1
        continue outer
      }
      return position
    }
    return nil
  }

  /// Whether `needle` occurs anywhere in `haystack`.
  static func contains(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
    haystack.withUnsafeBufferPointer { firstIndex(of: needle, in: $0) != nil }
  }
}

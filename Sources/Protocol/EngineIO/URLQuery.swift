/// A parsed `application/x-www-form-urlencoded` query, decoded like JavaScript's
/// `URLSearchParams` (WHATWG URL §5.1).
///
/// Pairs are split on `&` (empty pieces skipped), then on the first `=` (a piece without
/// `=` has an empty value); `+` becomes a space; `%XX` with two hex digits becomes that
/// byte and any other `%` stays literal; the bytes are then read as UTF-8 with invalid
/// sequences replaced by U+FFFD. Parsing is total and linear: the items never hold more
/// bytes than the input.
public struct URLQuery: Sendable, Equatable {
  /// One `name=value` pair, both decoded.
  public struct Item: Sendable, Equatable {
    /// The decoded name.
    public var name: String
    /// The decoded value, empty when the pair had no `=`.
    public var value: String

    /// An item.
    public init(name: String, value: String) {
      self.name = name
      self.value = value
    }
  }

  /// The pairs in query order, duplicates kept.
  public private(set) var items: [Item]

  /// Parses `query`, the part of a target after `?`; one leading `?` is skipped, as
  /// `URLSearchParams` does.
  public init(_ query: some StringProtocol) {
    var bytes = Array(query.utf8)[...]
    if bytes.first == UInt8(ascii: "?") { bytes = bytes.dropFirst() }
    items = []
    for piece in bytes.split(separator: UInt8(ascii: "&")) {
      let equals = piece.firstIndex(of: UInt8(ascii: "=")) ?? piece.endIndex
      let name = Self.decodeComponent(piece[..<equals])
      let value = equals < piece.endIndex ? Self.decodeComponent(piece[(equals + 1)...]) : ""
      items.append(Item(name: name, value: value))
    }
  }

  /// The value of the first item called `name` (case-sensitive), if any.
  public subscript(name: String) -> String? {
    items.first { $0.name == name }?.value
  }

  /// The values of every item called `name`, in order.
  public func values(for name: String) -> [String] {
    items.filter { $0.name == name }.map(\.value)
  }

  /// Decodes one name or value: `+` to space, valid `%XX` escapes to bytes, then UTF-8.
  public static func decodeComponent(_ component: some Collection<UInt8>) -> String {
    // Nothing to decode is the usual case (`EIO=4`, `transport=websocket`): one String, no
    // intermediate arrays.
    if !component.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) {
      return String(decoding: component, as: UTF8.self)
    }
    let input = Array(component)
    var output: [UInt8] = []
    output.reserveCapacity(input.count)
    var index = 0
    while index < input.count {
      let byte = input[index]
      if byte == UInt8(ascii: "%"), index + 2 < input.count,
        let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2])
      {
        output.append(high << 4 | low)
        index += 3
        continue
      }
      output.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
      index += 1
    }
    return String(decoding: output, as: UTF8.self)
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
  }
}

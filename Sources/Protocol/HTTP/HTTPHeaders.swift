/// HTTP header fields in arrival order; names compare case-insensitively (RFC 9110 §5.1).
public struct HTTPHeaders: Sendable, Equatable, Sequence {
  /// The fields as received: name as sent, value with surrounding whitespace trimmed.
  public private(set) var fields: [(name: String, value: String)]

  /// Headers from a list of fields.
  public init(_ fields: [(name: String, value: String)] = []) {
    self.fields = fields
  }

  public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
    lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
  }

  /// Makes room for `count` fields without regrowing (the parser reserves a typical head's
  /// worth: growing 1 -> 2 -> 4 -> 8 cost ~1,200 instructions per request, callgrind).
  mutating func reserveCapacity(_ count: Int) {
    fields.reserveCapacity(count)
  }

  /// Appends a field, keeping any earlier field of the same name.
  public mutating func add(name: String, value: String) {
    fields.append((name, value))
  }

  /// Replaces every field called `name` by one field.
  public mutating func replaceOrAdd(name: String, value: String) {
    fields.removeAll { Self.namesMatch($0.name, name) }
    fields.append((name, value))
  }

  /// The first value of the field called `name`, if present.
  public subscript(name: String) -> String? {
    fields.first { Self.namesMatch($0.name, name) }?.value
  }

  /// Every value of the field called `name`, in order.
  public func values(for name: String) -> [String] {
    fields.filter { Self.namesMatch($0.name, name) }.map(\.value)
  }

  /// Whether a comma-separated field (`Connection`, `Upgrade`) lists `token`, ignoring case.
  public func contains(name: String, token: String) -> Bool {
    // Byte scan without splitting, trimming or lowercasing copies: `isKeepAlive` asks this
    // on every request.
    fields.contains { field in
      Self.namesMatch(field.name, name) && Self.list(field.value, contains: token)
    }
  }

  /// Whether the comma-separated `list` has an element equal to `token` (ASCII case
  /// ignored, spaces and tabs around elements ignored).
  static func list(_ list: String, contains token: String) -> Bool {
    var list = list
    var token = token
    return list.withUTF8 { bytes in
      token.withUTF8 { wanted in
        var start = 0
        while start <= bytes.count {
          var end = start
          while end < bytes.count, bytes[end] != UInt8(ascii: ",") { end += 1 }
          var low = start
          var high = end
          while low < high, bytes[low] == 0x20 || bytes[low] == 0x09 { low += 1 }
          while high > low, bytes[high - 1] == 0x20 || bytes[high - 1] == 0x09 { high -= 1 }
          if asciiCaseInsensitiveEqual(UnsafeBufferPointer(rebasing: bytes[low..<high]), wanted) {
            return true
          }
          start = end + 1
        }
        return false
      }
    }
  }

  public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
    fields.makeIterator()
  }

  /// ASCII case-insensitive comparison of header names.
  public static func namesMatch(_ lhs: String, _ rhs: String) -> Bool {
    // Over contiguous UTF-8: zipping the two UTF8Views cost ~600 instructions per lookup.
    var lhs = lhs
    var rhs = rhs
    return lhs.withUTF8 { left in rhs.withUTF8 { asciiCaseInsensitiveEqual(left, $0) } }
  }

  /// Whether two byte strings are equal ignoring the case of ASCII letters.
  static func asciiCaseInsensitiveEqual(
    _ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>
  ) -> Bool {
    guard left.count == right.count else { return false }
    for index in 0..<left.count {
      let a = left[index]
      let b = right[index]
      if a == b { continue }
      let folded = a | 0x20
      guard folded == b | 0x20, folded >= 0x61, folded <= 0x7A else { return false }
    }
    return true
  }
}

extension Substring {
  /// The substring without leading and trailing spaces and tabs.
  func trimmingASCIIWhitespace() -> Substring {
    var result = self
    while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
    while let last = result.last, last == " " || last == "\t" { result.removeLast() }
    return result
  }
}

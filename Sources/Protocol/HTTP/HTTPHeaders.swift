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
    values(for: name).contains { value in
      value.split(separator: ",").contains {
        $0.trimmingASCIIWhitespace().lowercased() == token.lowercased()
      }
    }
  }

  public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
    fields.makeIterator()
  }

  /// ASCII case-insensitive comparison of header names.
  public static func namesMatch(_ lhs: String, _ rhs: String) -> Bool {
    let left = lhs.utf8
    let right = rhs.utf8
    guard left.count == right.count else { return false }
    return zip(left, right).allSatisfy { a, b in
      a == b || (a | 0x20 == b | 0x20 && (a | 0x20) >= 0x61 && (a | 0x20) <= 0x7A)
    }
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

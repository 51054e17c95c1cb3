extension RESPDecoder {
  /// The aggregate types, by their RESP type byte.
  enum AggregateKind: Sendable {
    /// `*`
    case array
    /// `%`
    case map
    /// `~`
    case set
    /// `>`
    case push
    /// `|`: key-value pairs annotating the next value; dropped once read.
    case attribute

    /// How many values one counted element is: maps and attributes count pairs.
    var valuesPerElement: Int {
      switch self {
      case .map, .attribute: 2
      case .array, .set, .push: 1
      }
    }
  }

  /// An aggregate whose header has been read and whose children are still arriving.
  struct Frame: Sendable {
    /// What the children become.
    let kind: AggregateKind
    /// How many values complete it (twice the count for maps and attributes).
    let expected: Int
    /// The children read so far.
    var elements: [RESPValue] = []

    /// A frame of `kind` waiting for `expected` values.
    init(kind: AggregateKind, expected: Int) {
      self.kind = kind
      self.expected = expected
      // Capacity grows with the bytes that arrive, not with the count the header claims.
      elements.reserveCapacity(min(expected, 16))
    }

    /// The finished value, or nil for an attribute (dropped).
    func build() -> RESPValue? {
      switch kind {
      case .array: return .array(elements)
      case .set: return .set(elements)
      case .push: return .push(elements)
      case .attribute: return nil
      case .map:
        var entries: [RESPValue.MapEntry] = []
        entries.reserveCapacity(elements.count / 2)
        var index = 0
        while index + 1 < elements.count {
          entries.append(RESPValue.MapEntry(key: elements[index], value: elements[index + 1]))
          index += 2
        }
        return .map(entries)
      }
    }
  }
}

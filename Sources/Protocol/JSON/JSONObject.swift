/// A JSON object with JavaScript's key order.
///
/// JavaScript objects list keys that are array indices (`"0"`, `"1"`, `"42"`: canonical
/// decimal integers below 2^32 - 1) first, in ascending numeric order, then all other keys in
/// insertion order (ECMA-262 OrdinaryOwnPropertyKeys). So
/// `JSON.stringify(JSON.parse('{"b":1,"2":0,"a":2,"1":3}'))` is `{"1":3,"2":0,"b":1,"a":2}`,
/// and this type orders keys the same way. Setting an existing key replaces its value in place
/// (a duplicate key in parsed JSON keeps the first position and the last value, like
/// `JSON.parse`). Keys are told apart by code units, as in JavaScript, not by Swift's
/// canonical equivalence (see `JSONObjectKey`). Equality compares keys in order and values.
public struct JSONObject: Sendable, Equatable, Sequence {
  /// Above this many keys, lookups go through `positions` instead of a linear scan.
  static let linearSearchLimit = 12

  private var storedKeys: [String]
  private var storedValues: [JSONValue]
  /// How many leading keys are array indices (they stay sorted by numeric value).
  private var indexKeyCount: Int
  /// Key -> position; built only for objects above `linearSearchLimit` keys.
  private var positions: [JSONObjectKey: Int]?

  /// An empty object.
  public init() {
    storedKeys = []
    storedValues = []
    indexKeyCount = 0
    positions = nil
  }

  /// An object holding `pairs`, ordered and de-duplicated as JavaScript would.
  public init(_ pairs: [(String, JSONValue)]) {
    self.init(keys: pairs.map(\.0), values: pairs.map(\.1))
  }

  /// Builds an object from parallel key and value arrays (the parser's bulk path): O(n) for
  /// the usual distinct non-index keys, O(n log n) otherwise.
  init(keys: [String], values: [JSONValue]) {
    indexKeyCount = 0
    positions = nil
    if !keys.contains(where: { Self.arrayIndex(of: $0) != nil }) {
      if keys.count <= Self.linearSearchLimit {
        if !Self.containsDuplicate(keys) {
          storedKeys = keys
          storedValues = values
          return
        }
      } else if let positions = Self.uniquePositions(keys) {
        storedKeys = keys
        storedValues = values
        self.positions = positions
        return
      }
    }
    storedKeys = []
    storedValues = []
    buildSlowly(keys: keys, values: values)
  }

  /// Number of keys.
  public var count: Int { storedKeys.count }

  /// Whether the object has no keys.
  public var isEmpty: Bool { storedKeys.isEmpty }

  /// Keys in JavaScript's order.
  public var keys: [String] { storedKeys }

  /// Values in key order.
  public var values: [JSONValue] { storedValues }

  /// The value for `key`; setting nil removes the key, setting a new key inserts it where
  /// JavaScript would (after the other array-index keys in numeric order, or at the end).
  public subscript(key: String) -> JSONValue? {
    get { position(of: key).map { storedValues[$0] } }
    set {
      if let position = position(of: key) {
        if let newValue {
          storedValues[position] = newValue
        } else {
          remove(at: position)
        }
      } else if let newValue {
        insert(key: key, value: newValue)
      }
    }
  }

  /// Iterates `(key, value)` pairs in key order.
  public func makeIterator() -> Iterator {
    Iterator(object: self)
  }

  /// Iterator over an object's pairs in key order.
  public struct Iterator: IteratorProtocol {
    private let object: JSONObject
    private var position = 0

    fileprivate init(object: JSONObject) {
      self.object = object
    }

    /// The next pair, or nil after the last key.
    public mutating func next() -> (key: String, value: JSONValue)? {
      guard position < object.storedKeys.count else { return nil }
      defer { position += 1 }
      return (object.storedKeys[position], object.storedValues[position])
    }
  }

  /// Objects are equal when they hold the same keys (code unit for code unit) in the same
  /// order with equal values.
  public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
    lhs.storedKeys.elementsEqual(rhs.storedKeys, by: JSONObjectKey.same)
      && lhs.storedValues == rhs.storedValues
  }

  private func position(of key: String) -> Int? {
    if let positions { return positions[JSONObjectKey(key)] }
    return storedKeys.firstIndex { JSONObjectKey.same($0, key) }
  }

  private mutating func remove(at position: Int) {
    storedKeys.remove(at: position)
    storedValues.remove(at: position)
    if position < indexKeyCount { indexKeyCount -= 1 }
    rebuildPositions()
  }

  private mutating func insert(key: String, value: JSONValue) {
    guard let number = Self.arrayIndex(of: key) else {
      storedKeys.append(key)
      storedValues.append(value)
      if positions != nil {
        positions?[JSONObjectKey(key)] = storedKeys.count - 1
      } else {
        rebuildPositions()
      }
      return
    }
    var low = 0
    var high = indexKeyCount
    while low < high {
      let middle = (low + high) / 2
      if (Self.arrayIndex(of: storedKeys[middle]) ?? 0) < number {
        low = middle + 1
      } else {
        high = middle
      }
    }
    storedKeys.insert(key, at: low)
    storedValues.insert(value, at: low)
    indexKeyCount += 1
    rebuildPositions()
  }

  private mutating func rebuildPositions() {
    guard storedKeys.count > Self.linearSearchLimit else {
      positions = nil
      return
    }
    var positions = [JSONObjectKey: Int](minimumCapacity: storedKeys.count)
    for (position, key) in storedKeys.enumerated() { positions[JSONObjectKey(key)] = position }
    self.positions = positions
  }

  /// General path: first position and last value per key, then array-index keys sorted to
  /// the front (stable for the rest).
  private mutating func buildSlowly(keys: [String], values: [JSONValue]) {
    var firstPositions = [JSONObjectKey: Int](minimumCapacity: keys.count)
    var uniqueKeys: [String] = []
    var uniqueValues: [JSONValue] = []
    for (key, value) in zip(keys, values) {
      if let position = firstPositions[JSONObjectKey(key)] {
        uniqueValues[position] = value
      } else {
        firstPositions[JSONObjectKey(key)] = uniqueKeys.count
        uniqueKeys.append(key)
        uniqueValues.append(value)
      }
    }
    var indexed: [(number: UInt32, position: Int)] = []
    var named: [Int] = []
    for (position, key) in uniqueKeys.enumerated() {
      if let number = Self.arrayIndex(of: key) {
        indexed.append((number, position))
      } else {
        named.append(position)
      }
    }
    indexed.sort { $0.number < $1.number }
    let order = indexed.map(\.position) + named
    storedKeys = order.map { uniqueKeys[$0] }
    storedValues = order.map { uniqueValues[$0] }
    indexKeyCount = indexed.count
    rebuildPositions()
  }

  /// The numeric value of `key` when it is a canonical array index (`"0"` or a decimal
  /// without leading zero, below 2^32 - 1), else nil.
  static func arrayIndex(of key: String) -> UInt32? {
    let utf8 = key.utf8
    guard let first = utf8.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9"),
      utf8.count <= 10
    else { return nil }
    if first == UInt8(ascii: "0") { return utf8.count == 1 ? 0 : nil }
    var value: UInt64 = 0
    for byte in utf8 {
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
      value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
    }
    return value < 4_294_967_295 ? UInt32(value) : nil
  }

  private static func containsDuplicate(_ keys: [String]) -> Bool {
    for index in keys.indices.dropFirst()
    where keys[..<index].contains(where: { JSONObjectKey.same($0, keys[index]) }) {
      return true
    }
    return false
  }

  private static func uniquePositions(_ keys: [String]) -> [JSONObjectKey: Int]? {
    var positions = [JSONObjectKey: Int](minimumCapacity: keys.count)
    for (position, key) in keys.enumerated() {
      guard positions.updateValue(position, forKey: JSONObjectKey(key)) == nil else {
        return nil
      }
    }
    return positions
  }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
  /// An object holding the literal's pairs, ordered as JavaScript would.
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self.init(elements)
  }
}

/// A JSON object's members in source order, looked up by name.
///
/// An array of pairs, not a `Dictionary`: JOSE headers and claim sets have a handful of
/// members, and a linear scan beats hashing every name with a seeded SipHash (the dictionary
/// was a fifth of an HS256 verification's time).
struct JSONObject: Equatable, Sendable, ExpressibleByDictionaryLiteral {
  /// The members, in source order, names unique.
  private(set) var members: [(name: String, value: JSONValue)]

  /// Up to this many members, duplicates are found by scanning; past it, by a set, so an
  /// object of thousands of members costs linear time, not quadratic.
  private static let scanLimit = 16
  private var names: Set<String>? = nil

  /// An empty object.
  init() {
    members = []
  }

  /// An object of the given members (tests); later duplicates are dropped.
  init(dictionaryLiteral elements: (String, JSONValue)...) {
    members = []
    for (name, value) in elements { _ = insert(name, value) }
  }

  /// The value of member `name`, or nil if there is none.
  subscript(name: String) -> JSONValue? {
    members.first { $0.name == name }?.value
  }

  /// Appends a member.
  /// - Returns: false (and changes nothing) if a member of that name exists.
  mutating func insert(_ name: String, _ value: JSONValue) -> Bool {
    if members.count < Self.scanLimit {
      guard !members.contains(where: { $0.name == name }) else { return false }
    } else {
      var seen = names ?? Set(members.map(\.name))
      guard seen.insert(name).inserted else { return false }
      names = seen
    }
    members.append((name, value))
    return true
  }

  /// Members equal pairwise, in order.
  static func == (left: JSONObject, right: JSONObject) -> Bool {
    left.members.elementsEqual(right.members) { $0.name == $1.name && $0.value == $1.value }
  }
}

/// An object key as JavaScript tells keys apart: by their code units, not by Unicode
/// canonical equivalence as Swift's `String ==` does. `"\u00e9"` (é) and `"e\u0301"`
/// (e + combining acute) are two keys of one JavaScript object; as `String`s they are equal.
struct JSONObjectKey: Hashable, Sendable {
  /// The key.
  let text: String

  init(_ text: String) {
    self.text = text
  }

  static func == (lhs: JSONObjectKey, rhs: JSONObjectKey) -> Bool {
    same(lhs.text, rhs.text)
  }

  func hash(into hasher: inout Hasher) {
    var text = text
    text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
  }

  /// Whether `lhs` and `rhs` are the same key: the same UTF-8 bytes, hence the same code
  /// units in any encoding.
  static func same(_ lhs: String, _ rhs: String) -> Bool {
    lhs.utf8.count == rhs.utf8.count && lhs.utf8.elementsEqual(rhs.utf8)
  }
}

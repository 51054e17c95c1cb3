/// Room names: 1–128 characters from `[A-Za-z0-9_.:@-]`, so they are safe in paths, logs and
/// Redis keys as they are.
enum RoomName {
  static let maxLength = 128

  /// Whether `name` is a valid room name.
  static func isValid(_ name: String) -> Bool {
    let bytes = name.utf8
    guard (1...maxLength).contains(bytes.count) else { return false }
    return bytes.allSatisfy { byte in
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."),
        UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "-"):
        true
      default: false
      }
    }
  }

  /// The message for an invalid name.
  static let rule = "room names are 1 to 128 characters of A-Z a-z 0-9 _ . : @ -"
}

import Protocol

/// The rooms a token lets its user join and leave by itself: the `rooms` claim, exact names
/// or prefixes ending in `*` (`["team:42", "doc:*"]`). No claim: no room.
struct RoomPatterns: Sendable, Equatable {
  private var exact: Set<String> = []
  private var prefixes: [String] = []

  /// The patterns of a token's claims (a JSON object); nil without a usable `rooms` claim.
  /// The claims are parsed only when their bytes mention `"rooms"` (most tokens do not).
  init?(claimsJSON: [UInt8]) {
    let needle = Array(#""rooms""#.utf8)
    guard claimsJSON.count >= needle.count,
      (0...(claimsJSON.count - needle.count)).contains(where: {
        claimsJSON[$0..<$0 + needle.count].elementsEqual(needle)
      }),
      let claims = try? JSONParser.parse(claimsJSON, limits: JSONLimits(maxDepth: 16)),
      case .array(let items)? = claims["rooms"]
    else { return nil }
    self.init(items.compactMap(\.stringValue))
    if exact.isEmpty && prefixes.isEmpty { return nil }
  }

  init(_ patterns: [String]) {
    for pattern in patterns where !pattern.isEmpty {
      if pattern.hasSuffix("*") {
        prefixes.append(String(pattern.dropLast()))
      } else {
        exact.insert(pattern)
      }
    }
  }

  /// Whether `room` is one of the patterns' rooms.
  func allows(_ room: String) -> Bool {
    exact.contains(room) || prefixes.contains { room.hasPrefix($0) }
  }
}

/// Accounts for pushes by sequence number: which were sent to whom, which REST answers said
/// delivered, and how many copies reached which user, so lost, duplicated and misrouted
/// deliveries are counted exactly.
struct DeliveryLedger {
  /// The user each sequence number was sent to.
  private var targets: [Int32] = []
  /// When each request was handed to the kernel.
  private(set) var sentAt: [Int64] = []
  /// Copies received per sequence number.
  private var copies: [UInt8] = []
  /// Whether the REST answer said the user was reached (201 with `"success":true`).
  private var accepted: [Bool] = []
  /// Answers that were not a 201 with `"success":true`.
  private(set) var refused = 0
  /// Requests lost with their connection.
  private(set) var failedRequests = 0
  /// Copies received beyond the first.
  private(set) var duplicated = 0
  /// Copies received by a user the push was not for (or with a tag that was never sent).
  private(set) var misrouted = 0
  /// First copies received.
  private(set) var delivered = 0
  /// Answers that said delivered.
  private(set) var acceptedCount = 0

  /// Sequence numbers handed out so far.
  var count: Int { targets.count }

  /// Records a new push to `user`; returns its sequence number.
  mutating func open(user: Int) -> Int {
    targets.append(Int32(user))
    sentAt.append(0)
    copies.append(0)
    accepted.append(false)
    return targets.count - 1
  }

  /// The request for `sequence` went out now.
  mutating func markSent(_ sequence: Int, at time: Int64) {
    sentAt[sequence] = time
  }

  /// The REST answer for `sequence`.
  mutating func answer(_ sequence: Int, accepted isAccepted: Bool) {
    if isAccepted {
      accepted[sequence] = true
      acceptedCount += 1
    } else {
      refused += 1
    }
  }

  /// The request for `sequence` was lost with its connection.
  mutating func requestFailed(_ sequence: Int) {
    failedRequests += 1
  }

  /// A copy tagged `sequence` for `taggedUser` reached `receiver`; returns the latency when
  /// it is the first correct copy.
  mutating func receive(sequence: Int?, taggedUser: Int?, receiver: Int, at time: Int64) -> Int64? {
    guard let sequence, let taggedUser, sequence < targets.count,
      Int(targets[sequence]) == taggedUser, taggedUser == receiver
    else {
      misrouted += 1
      return nil
    }
    copies[sequence] &+= 1
    guard copies[sequence] == 1 else {
      duplicated += 1
      return nil
    }
    delivered += 1
    return time - sentAt[sequence]
  }

  /// Accepted pushes in `range` whose copy never arrived.
  func lost(in range: Range<Int>) -> Int {
    range.reduce(0) { $0 + (accepted[$1] && copies[$1] == 0 ? 1 : 0) }
  }

  /// First copies received in `range`.
  func delivered(in range: Range<Int>) -> Int {
    range.reduce(0) { $0 + (copies[$1] > 0 ? 1 : 0) }
  }
}

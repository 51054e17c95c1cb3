/// A position in one user's log: the log's epoch and a sequence number.
///
/// On the wire it is one opaque string, `<epoch>.<sequence>` (the epoch is base64url, so it
/// never holds a dot). Sequences count from 1 within an epoch; a log that was wiped, erased
/// or replaced gets a new epoch, so an offset from before names nothing and recovers nothing.
struct LogOffset: Sendable, Hashable {
  /// The log's epoch (12 base64url characters).
  var epoch: String
  /// The entry's sequence number; 0 names the position before the first entry.
  var sequence: Int64

  /// The wire form.
  var string: String { "\(epoch).\(sequence)" }

  init(epoch: String, sequence: Int64) {
    self.epoch = epoch
    self.sequence = sequence
  }

  /// Parses the wire form; nil for anything else (at most 64 bytes).
  init?(parsing text: String) {
    guard text.utf8.count <= 64, let dot = text.utf8.lastIndex(of: UInt8(ascii: ".")) else {
      return nil
    }
    let epoch = String(text[..<dot])
    guard !epoch.isEmpty, let sequence = Int64(text[text.index(after: dot)...]), sequence >= 0
    else { return nil }
    self.init(epoch: epoch, sequence: sequence)
  }

  /// A fresh epoch for a new log.
  static func newEpoch() -> String {
    String(RandomID.make().prefix(12))
  }
}

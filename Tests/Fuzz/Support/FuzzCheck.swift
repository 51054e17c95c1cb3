/// Invariant checks of the fuzz targets: a broken invariant is a crash, so libFuzzer saves
/// the input as `crash-<sha1>` and stops.
enum FuzzCheck {
  /// Traps with `message` unless `condition` holds.
  static func require(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
  ) {
    if !condition() {
      fatalError("fuzz invariant broken: \(message())", file: file, line: line)
    }
  }
}

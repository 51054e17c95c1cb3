import Glibc

/// A failed system call, with the errno it left.
struct SystemError: Error, CustomStringConvertible, Sendable {
  /// The call that failed, e.g. `bind`.
  var call: String
  /// The errno value captured right after the call.
  var errno: Int32

  init(_ call: String, errno: Int32 = Glibc.errno) {
    self.call = call
    self.errno = errno
  }

  var description: String {
    "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))"
  }
}

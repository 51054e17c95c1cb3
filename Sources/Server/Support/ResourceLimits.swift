import CSystem
import Glibc

/// Process resource limits.
enum ResourceLimits {
  /// Raises the open-file soft limit to the hard limit; returns the limit now in force.
  static func raiseOpenFiles() -> Int {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
    if limit.rlim_cur < limit.rlim_max {
      var raised = limit
      raised.rlim_cur = limit.rlim_max
      if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
    }
    return Int(min(limit.rlim_cur, 10_000_000))
  }
}

/// The version printed by `--version`.
enum GatewayVersion {
  static let string = "0.1.0"
}

import Glibc

/// Reads another process's CPU time, resident memory and open descriptors from `/proc`,
/// and this process's own CPU time.
struct ProcessProbe {
  /// The observed process; 0 observes nothing (every reading is nil).
  let pid: Int32
  private let ticksPerSecond = Int64(sysconf(Int32(_SC_CLK_TCK)))

  /// A probe of `pid`.
  init(pid: Int32) {
    self.pid = pid
  }

  /// User and system CPU time of the whole process (all threads), in nanoseconds, from
  /// `/proc/PID/stat` fields 14 and 15 (clock ticks).
  func cpuNanoseconds() -> (user: Int64, system: Int64)? {
    guard pid > 0, let text = Self.readFile("/proc/\(pid)/stat"),
      let close = text.lastIndex(of: ")")
    else { return nil }
    // Fields after the parenthesised command name start at field 3 (state).
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 12, let user = Int64(fields[11]), let system = Int64(fields[12]) else {
      return nil
    }
    return (user * 1_000_000_000 / ticksPerSecond, system * 1_000_000_000 / ticksPerSecond)
  }

  /// `VmRSS` from `/proc/PID/status`, in kilobytes.
  func residentKilobytes() -> Int? {
    guard pid > 0, let text = Self.readFile("/proc/\(pid)/status") else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
      return Int(line.dropFirst(6).filter { $0.isNumber })
    }
    return nil
  }

  /// Entries in `/proc/PID/fd`.
  func openDescriptors() -> Int? {
    guard pid > 0, let directory = opendir("/proc/\(pid)/fd") else { return nil }
    defer { closedir(directory) }
    var count = 0
    while let entry = readdir(directory) {
      if entry.pointee.d_name.0 != 0x2E { count += 1 }  // skip "." and ".."
    }
    return count
  }

  /// This process's user plus system CPU time, in nanoseconds.
  static func ownCPUNanoseconds() -> Int64 {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    let user = Int64(usage.ru_utime.tv_sec) * 1_000_000_000 + Int64(usage.ru_utime.tv_usec) * 1_000
    let system =
      Int64(usage.ru_stime.tv_sec) * 1_000_000_000 + Int64(usage.ru_stime.tv_usec) * 1_000
    return user + system
  }

  private static func readFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if count <= 0 { break }
      bytes.append(contentsOf: chunk[0..<count])
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

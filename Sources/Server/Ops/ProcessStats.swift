import Glibc

/// What the kernel says about this process, read at scrape time (never on a hot path).
struct ProcessStats: Sendable, Equatable {
  /// User plus system CPU time, in seconds (`getrusage(RUSAGE_SELF)`).
  var cpuSeconds: Double
  /// Resident set size in bytes (`/proc/self/statm`'s second field × page size); nil when
  /// `/proc` is not there.
  var residentBytes: Int?
  /// Open file descriptors (the entries of `/proc/self/fd`); nil when `/proc` is not there.
  var openFileDescriptors: Int?

  /// Reads the current values.
  static func current() -> ProcessStats {
    ProcessStats(
      cpuSeconds: cpuSeconds(), residentBytes: residentBytes(), openFileDescriptors: openFDs())
  }

  private static func cpuSeconds() -> Double {
    var usage = rusage()
    guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
  }

  private static func residentBytes() -> Int? {
    let fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 128)
    let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    guard count > 0 else { return nil }
    // "size resident shared text lib data dt", in pages.
    let fields = buffer[..<count].split(separator: UInt8(ascii: " "))
    guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else {
      return nil
    }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
  }

  private static func openFDs() -> Int? {
    guard let directory = opendir("/proc/self/fd") else { return nil }
    defer { closedir(directory) }
    var count = 0
    while let entry = readdir(directory) {
      let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
        name[0] == UInt8(ascii: ".")
      }
      if !isDot { count += 1 }
    }
    // The directory stream's own descriptor is one of the entries.
    return count - 1
  }
}

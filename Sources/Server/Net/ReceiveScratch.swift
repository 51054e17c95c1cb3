import Glibc

/// One 64 KB receive buffer per thread, for `SocketChannel.read(into:)`.
///
/// `recv` needs a large buffer to drain a socket in few calls, but a connection should not
/// own one while it is idle. `read(into:)` is synchronous, so the calling thread's buffer is
/// never used by two reads at once; `withUnsafeTemporaryAllocation` of 64 KB is a heap
/// allocation on Linux (measured with massif), one malloc/free per read.
enum ReceiveScratch {
  /// Bytes per thread.
  static let size = 65536

  private static let key: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key) { free($0) }
    precondition(status == 0, "pthread_key_create failed: \(status)")
    return key
  }()

  /// The calling thread's buffer, `size` bytes.
  static func current() -> UnsafeMutableRawPointer {
    if let buffer = pthread_getspecific(key) { return buffer }
    guard let buffer = malloc(size) else { fatalError("out of memory for the receive buffer") }
    pthread_setspecific(key, buffer)
    return buffer
  }
}

/// A growable byte buffer with a reader index, in the vocabulary of SwiftNIO's `ByteBuffer`.
///
/// Parsers read from the front (`readInteger`, `readSlice(length:)`) and return `nil` when
/// not enough bytes are there yet; the caller appends more and tries again. Read bytes are
/// reclaimed by `discardReadBytes()`, which the owner calls between reads.
public struct ByteBuffer: Sendable, Equatable {
  /// Backing storage; bytes before `readerIndex` are already consumed.
  public private(set) var storage: [UInt8]
  /// Index of the first unread byte in `storage`.
  public private(set) var readerIndex: Int

  /// An empty buffer.
  public init() {
    storage = []
    readerIndex = 0
  }

  /// A buffer holding `bytes`, all unread.
  public init(bytes: some Sequence<UInt8>) {
    storage = Array(bytes)
    readerIndex = 0
  }

  /// A buffer holding the UTF-8 bytes of `string`, all unread.
  public init(string: String) {
    storage = Array(string.utf8)
    readerIndex = 0
  }

  /// Number of bytes not yet read.
  @inlinable public var readableBytes: Int { storage.count - readerIndex }

  /// The unread bytes, without copying.
  public var readableBytesView: ArraySlice<UInt8> { storage[readerIndex...] }

  /// Appends bytes at the end.
  public mutating func writeBytes(_ bytes: some Sequence<UInt8>) {
    storage.append(contentsOf: bytes)
  }

  /// Appends the UTF-8 bytes of `string`.
  public mutating func writeString(_ string: String) {
    storage.append(contentsOf: string.utf8)
  }

  /// Appends an integer in big-endian (network) byte order.
  public mutating func writeInteger<T: FixedWidthInteger>(_ value: T) {
    var bigEndian = value.bigEndian
    withUnsafeBytes(of: &bigEndian) { storage.append(contentsOf: $0) }
  }

  /// Returns the unread byte at `offset` from the reader index, or nil past the end.
  @inlinable public func peekByte(at offset: Int = 0) -> UInt8? {
    let index = readerIndex + offset
    return index < storage.count ? storage[index] : nil
  }

  /// Reads a big-endian integer, or returns nil (consuming nothing) when too few bytes.
  public mutating func readInteger<T: FixedWidthInteger>(as type: T.Type = T.self) -> T? {
    let size = MemoryLayout<T>.size
    guard readableBytes >= size else { return nil }
    var value: T = 0
    for index in readerIndex..<(readerIndex + size) {
      value = (value << 8) | T(storage[index])
    }
    readerIndex += size
    return value
  }

  /// Reads `length` bytes without copying, or returns nil (consuming nothing).
  public mutating func readSlice(length: Int) -> ArraySlice<UInt8>? {
    guard length >= 0, readableBytes >= length else { return nil }
    let slice = storage[readerIndex..<(readerIndex + length)]
    readerIndex += length
    return slice
  }

  /// Reads `length` bytes into a new array, or returns nil (consuming nothing).
  public mutating func readBytes(length: Int) -> [UInt8]? {
    readSlice(length: length).map(Array.init)
  }

  /// Marks `count` bytes as read.
  public mutating func moveReaderIndex(forwardBy count: Int) {
    precondition(count >= 0 && count <= readableBytes, "moving past the readable bytes")
    readerIndex += count
  }

  /// Index (relative to the reader index) of the first occurrence of `byte`, if any.
  public func firstIndex(of byte: UInt8, from offset: Int = 0) -> Int? {
    var index = readerIndex + offset
    while index < storage.count {
      if storage[index] == byte { return index - readerIndex }
      index += 1
    }
    return nil
  }

  /// Drops consumed bytes so storage does not grow with the total traffic.
  public mutating func discardReadBytes() {
    guard readerIndex > 0 else { return }
    if readerIndex == storage.count {
      storage.removeAll(keepingCapacity: storage.capacity <= 64 * 1024)
    } else {
      storage.removeFirst(readerIndex)
    }
    readerIndex = 0
  }

  /// Frees the storage once every byte has been read, so an owner that goes idle between
  /// messages holds no buffer (the next read allocates exactly what arrives).
  public mutating func releaseIfDrained() {
    guard readerIndex == storage.count else { return }
    self = ByteBuffer()
  }

  /// Removes every byte, read or not.
  public mutating func clear() {
    storage.removeAll(keepingCapacity: storage.capacity <= 64 * 1024)
    readerIndex = 0
  }

  /// Calls `body` with the unread bytes; `body` returns how many it consumed.
  public mutating func withUnsafeReadableBytes<R>(
    _ body: (UnsafeRawBufferPointer) throws -> R
  ) rethrows -> R {
    try storage.withUnsafeBytes { raw in
      try body(UnsafeRawBufferPointer(rebasing: raw[readerIndex...]))
    }
  }

  /// Appends up to `maximum` bytes produced by `body`, which fills the raw buffer it is
  /// given and returns how many bytes it wrote (a `read(2)` into free capacity).
  public mutating func writeWithUnsafeMutableBytes(
    maximum: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Int
  ) rethrows -> Int {
    let oldCount = storage.count
    storage.append(contentsOf: repeatElement(0, count: maximum))
    var written = 0
    defer { storage.removeLast(maximum - written) }
    written = try storage.withUnsafeMutableBytes { raw in
      try body(UnsafeMutableRawBufferPointer(rebasing: raw[oldCount...]))
    }
    precondition(written >= 0 && written <= maximum, "wrote outside the given bytes")
    return written
  }
}

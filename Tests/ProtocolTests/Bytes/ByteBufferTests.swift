import Testing

@testable import Protocol

@Suite struct ByteBufferTests {
  @Test func discardingReadBytesKeepsTheUnreadTail() {
    var buffer = ByteBuffer(string: "abcdef")
    #expect(buffer.readBytes(length: 2) == Array("ab".utf8))
    buffer.discardReadBytes()
    #expect(buffer.readerIndex == 0)
    #expect(buffer.readableBytesView.elementsEqual("cdef".utf8))
  }

  @Test func releaseIfDrainedFreesTheStorageOnlyWhenEverythingWasRead() {
    var buffer = ByteBuffer(string: "abcdef")
    #expect(buffer.readBytes(length: 3) != nil)
    buffer.releaseIfDrained()
    #expect(buffer.readableBytes == 3)
    #expect(buffer.storage.capacity >= 6)
    #expect(buffer.readBytes(length: 3) == Array("def".utf8))
    buffer.releaseIfDrained()
    #expect(buffer.readableBytes == 0)
    #expect(buffer.storage.capacity == 0)
    buffer.writeString("gh")
    #expect(buffer.readBytes(length: 2) == Array("gh".utf8))
  }
}

import Testing

@testable import Protocol

@Suite struct RESPValueAccessorsTests {
  @Test func stringReadsEveryStringKindAndNothingElse() {
    #expect(RESPValue.simpleString("OK").string == "OK")
    #expect(RESPValue.bulkString(Array("v".utf8)).string == "v")
    #expect(RESPValue.verbatimString(format: "txt", text: Array("t".utf8)).string == "t")
    #expect(RESPValue.integer(1).string == nil)
    #expect(RESPValue.error("E").string == nil)
  }

  @Test func bytesKeepBulkBytes() {
    #expect(RESPValue.bulkString([0xFF, 0x00]).bytes == [0xFF, 0x00])
    #expect(RESPValue.simpleString("a").bytes == [0x61])
    #expect(RESPValue.null.bytes == nil)
  }

  @Test func integerErrorAndElementsMatchTheirCases() {
    #expect(RESPValue.integer(7).integer == 7)
    #expect(RESPValue.simpleString("7").integer == nil)
    #expect(RESPValue.error("ERR x").errorMessage == "ERR x")
    #expect(RESPValue.null.errorMessage == nil)
    #expect(RESPValue.set([.null]).elements == [.null])
    #expect(RESPValue.push([]).elements == [])
    #expect(RESPValue.map([]).elements == nil)
  }
}

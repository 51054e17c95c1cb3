import Testing

@testable import Protocol

@Suite struct WebSocketCloseCodeTests {
  @Test(
    arguments: [
      1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4000, 4999,
    ] as [UInt16])
  func closeCodeIsValidOnTheWire(code: UInt16) {
    #expect(WebSocketCloseCode.isValidOnWire(code))
    #expect(WebSocketCloseCode(rawValue: code).isValidOnWire)
  }

  @Test(
    arguments: [0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65_535] as [UInt16]
  )
  func closeCodeIsInvalidOnTheWire(code: UInt16) {
    #expect(!WebSocketCloseCode.isValidOnWire(code))
  }

  @Test func closeCodeConstantsHaveTheirRegisteredValues() {
    #expect(WebSocketCloseCode.normalClosure.rawValue == 1000)
    #expect(WebSocketCloseCode.protocolError.rawValue == 1002)
    #expect(WebSocketCloseCode.noStatusReceived.rawValue == 1005)
    #expect(WebSocketCloseCode.invalidFramePayloadData.rawValue == 1007)
    #expect(WebSocketCloseCode.messageTooBig.rawValue == 1009)
    #expect(WebSocketCloseCode.internalError.rawValue == 1011)
    #expect(!WebSocketCloseCode.noStatusReceived.isValidOnWire)
    #expect(!WebSocketCloseCode.abnormalClosure.isValidOnWire)
    #expect(!WebSocketCloseCode.tlsHandshake.isValidOnWire)
  }
}

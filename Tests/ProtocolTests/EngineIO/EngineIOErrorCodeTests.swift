import Testing

@testable import Protocol

@Suite struct EngineIOErrorCodeTests {
  static let table: [(EngineIOErrorCode, Int, String)] = [
    (.transportUnknown, 400, #"{"code":0,"message":"Transport unknown"}"#),
    (.sessionIDUnknown, 400, #"{"code":1,"message":"Session ID unknown"}"#),
    (.badHandshakeMethod, 400, #"{"code":2,"message":"Bad handshake method"}"#),
    (.badRequest, 400, #"{"code":3,"message":"Bad request"}"#),
    (.forbidden, 403, #"{"code":4,"message":"Forbidden"}"#),
    (.unsupportedProtocolVersion, 400, #"{"code":5,"message":"Unsupported protocol version"}"#),
  ]

  @Test(arguments: table)
  func errorCodeHasTheJSServersStatusAndBody(code: EngineIOErrorCode, status: Int, body: String) {
    #expect(code.httpStatus == status)
    #expect(code.jsonBody == body)
  }

  @Test func errorCodeTableCoversEveryCase() {
    #expect(Set(Self.table.map(\.0.rawValue)) == Set(EngineIOErrorCode.allCases.map(\.rawValue)))
  }
}

import Testing

@testable import Protocol

@Suite struct EngineIOQueryTests {
  @Test(arguments: [
    ("EIO=4&transport=polling&t=N8hyd6w", EngineIOQuery(eio: "4", transport: "polling", sid: nil)),
    (
      "EIO=4&transport=websocket&sid=lv_VI97HAXpY6yYWAAAC",
      EngineIOQuery(eio: "4", transport: "websocket", sid: "lv_VI97HAXpY6yYWAAAC")
    ),
    ("", EngineIOQuery(eio: nil, transport: nil, sid: nil)),
    ("EIO=3&EIO=4&transport=", EngineIOQuery(eio: "3", transport: "", sid: nil)),
    ("eio=4&Transport=polling&SID=x", EngineIOQuery(eio: nil, transport: nil, sid: nil)),
    ("sid=a%2Bb+c&b64=1&j=0", EngineIOQuery(eio: nil, transport: nil, sid: "a+b c")),
  ])
  func queryExtractsEngineIOParameters(query: String, expected: EngineIOQuery) {
    #expect(EngineIOQuery(query: query[...]) == expected)
  }

  @Test func queryReadsTheQueryOfARequestHead() {
    let head = HTTPRequestHead(method: "GET", target: "/socket.io/?EIO=4&transport=polling&t=x")
    #expect(
      EngineIOQuery(query: head.query) == EngineIOQuery(eio: "4", transport: "polling", sid: nil))
  }
}
